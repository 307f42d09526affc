/**
 * Templates for `oresi init` (intents). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** intents/hello-status.yaml */
export const INTENT_STATUS = `apiVersion: oresi.dev/v1
kind: Intent
name: hello-status
description: "Show the containers of the hello stack."
stack: hello
steps:
  - action: status
`;

/** intents/hello-restart.yaml */
export const INTENT_RESTART = `apiVersion: oresi.dev/v1
kind: Intent
name: hello-restart
description: "Restart the hello web service."
stack: hello
steps:
  - action: restart
    service: web
  - action: status
timeoutSeconds: 120
`;

/** intents/hello-rollout.yaml */
export const INTENT_ROLLOUT = `apiVersion: oresi.dev/v1
kind: Intent
name: hello-rollout
description: "Health-checked rollout of the hello stack: pull, up, wait for health, roll back automatically on failure."
stack: hello
steps:
  # Records the running images as a rollback point first; if the new ones are not running and
  # healthy within healthTimeoutSeconds, the recorded images are put back (run: rolled_back).
  - action: rollout
    healthTimeoutSeconds: 120
  - action: status
timeoutSeconds: 600
# Require a reviewed PR before a rollout runs by hand (oresi run hello-rollout --pr OWNER/homelab#12);
# verified with approvals.defaultPr in oresi.yaml. A webhook-requested run names no PR and is
# refused by this gate, so leave it off intents listed under webhooks.<provider>.intents.
# approval:
#   label: deploy-approved
`;
