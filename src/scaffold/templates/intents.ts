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
description: "Pull the pinned image and recreate the hello stack, then show its state."
stack: hello
steps:
  - action: pull
  - action: rollout
  - action: status
timeoutSeconds: 600
# Require a reviewed PR label before a rollout runs (needs approvals.github or approvals.gitea
# in oresi.yaml; without a verifier oresi refuses label-gated intents unless told otherwise):
# approval:
#   label: deploy-approved
`;
