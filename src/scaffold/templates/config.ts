/**
 * Templates for `oresi init` (config). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** oresi.yaml */
export const ORESI_YAML = `# oresi server configuration. Check it with: oresi config check --config oresi.yaml
# Relative paths resolve against this file's folder.
stacksRoot: /opt/stacks
intentsDir: ./intents
dataDir: /var/lib/oresi

compose:
  dialect: auto

server:
  # Loopback unless you mean it; put a TLS reverse proxy in front.
  listen: 127.0.0.1:8080
  trustedProxies: []
  ipAllowlist: []

approvals:
  # Label-gated intents are refused until a GitHub/Gitea verifier is configured.
  unverifiedLabels: refuse

# Keys are stored as the SHA-256 of a high-entropy key, never the key:
#   oresi keys new alice    (prints the key once, and the sha256 line to paste below)
#
# principals:
#   - name: alice
#     roles: [ops]
#     keys:
#       - id: alice-laptop
#         sha256: <64 hex characters>
#
# roles:
#   ops:
#     intents: ["hello-*"]
#     actions: ["*"]
#     approve: true
`;

/** policy.yaml */
export const POLICY_YAML = `# oresi policy: the guardrails a change must pass (oresi check) and how the rubric scores it
# (oresi review). Both read this file from the BASE branch, so a PR cannot relax its own rules.
# Guardrails: docs/policies/guardrails.md. Rubric: docs/policies/rubric.md.

redaction:
  # Env keys whose values are shown as they are; everything else is redacted.
  safeKeys: [TZ, PUID, PGID, UID, GID, UMASK, PORT, HOST, URL]

docs:
  # "Doc update required": a change to \`paths\` must also change one of \`docs\`.
  required:
    - paths: ["stacks/**"]
      docs: ["docs/**", "CHANGELOG.md"]
      message: "a stack change needs a docs/stacks note or a CHANGELOG entry"
    - paths: ["intents/**", "oresi.yaml", "policy.yaml"]
      docs: ["docs/**", "CHANGELOG.md"]
      message: "a change to what oresi may run needs a docs or CHANGELOG entry"

guardrails:
  images:
    forbidLatest: true       # :latest or no tag fails the check
    forbidFloating: false    # true: :1, :1.2, :stable fail too (the rubric marks them down anyway)
    requireDigest: false     # true: every changed image needs @sha256:…
    requireRegistry: true    # docker.io/library/nginx, not nginx
    allowedRegistries: []    # e.g. [docker.io, ghcr.io, registry.lan:5000]
  envFiles: ["**/.env", "**/*.env", "**/.env.*"]
  envFileTemplates: ["**/*.example", "**/*.sample", "**/*.template", "**/*.dist"]

review:
  stacksDir: stacks
  intentsDir: intents
  # Blocked below this score (0-100), or when any category scores at or below blockAtOrBelow (0-5).
  minScore: 80
  blockAtOrBelow: 1
  # Relative weights of the categories in the average (default 1 each).
  weights:
    security: 1
    reproducibility: 1
    observability: 1
    backup_dr: 1
    networking: 1
    data_safety: 1
    rollback: 1
    docs_parity: 1
  monitoringWords: [kuma, uptime, alert, monitor, healthchecks.io, gatus]
  backupPaths: ["**/*backup*", "**/*backup*/**", "docs/**"]
`;
