/**
 * Templates for `oresi init` (config). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** Prefixes every line with `# ` at `indent` spaces, so a block reads as YAML to uncomment. */
export function commentOut(block: string, indent = 0): string {
  const pad = ' '.repeat(indent);
  return block.trimEnd().split('\n').map((line) => `${pad}#${line === '' ? '' : ` ${line}`}`).join('\n');
}

/**
 * The optional parts of oresi.yaml, as plain YAML. They need values only the user has (their
 * repository, logins, secrets in the environment), so the template carries them commented out;
 * a test uncomments them and validates the result, so they stay correct as the schema moves.
 * Prose stays outside the blocks: uncommenting a block is then removing one `# ` per line.
 */
export const APPROVALS_EXAMPLE = `github:
  repo: OWNER/homelab
defaultPr:
  provider: github
  labelBy: { users: [OWNER] }   # who may apply the label; or teams: [org/team]
  minApprovals: 1               # approving reviews from people other than the author
  state: merged                 # the PR must be merged`;

export const WEBHOOKS_EXAMPLE = `webhooks:
  repoDir: /opt/gitops          # the checkout to pull (default: stacksRoot)
  github:
    repo: OWNER/homelab
    branch: main
    intents: [hello-rollout]    # requested in order after the pull
    role: deployer              # signed with ORESI_GITHUB_WEBHOOK_SECRET from the environment`;

export const NOTIFY_EXAMPLE = `notify:
  sinks:
    team:  { type: discord, urlEnv: ORESI_DISCORD_WEBHOOK }
    phone: { type: ntfy, topicEnv: ORESI_NTFY_TOPIC }
  routes:
    - events: [run.failed, run.rolled_back, approval.requested, drift.found, security.event]
      sinks: [team, phone]`;

export const PRINCIPALS_EXAMPLE = `principals:
  - name: alice
    roles: [ops]
    keys:
      - id: alice-laptop
        sha256: <64 hex characters from oresi keys new>`;

/** oresi.yaml */
export const ORESI_YAML = `# oresi server configuration. On the host: oresi serve --config /opt/gitops/oresi.yaml
# Check it with: oresi --config oresi.yaml config check   (serve also checks that the secrets
# the sections below need are in its environment). Relative paths resolve against this file's folder.
# oresi reads this file and intents/ at start-up: restart it after merging a change to them.
# No secret belongs in this file: keys ending in Env name the environment variable holding one.
stacksRoot: /opt/stacks       # on the host, a symlink to this checkout's stacks/ folder
intentsDir: ./intents
dataDir: /var/lib/oresi       # audit.db, rollback points, stack locks
policyFile: ./policy.yaml     # the redaction rules apply to the server's output too

compose:
  dialect: auto

server:
  # Loopback unless you mean it; put a TLS reverse proxy (or tailscale serve) in front.
  listen: 127.0.0.1:8080
  trustedProxies: []
  ipAllowlist: []

# GitOps gate: an intent runs only when its file is byte-identical to origin/main (fetched
# first). An intent edited on the host, or not merged yet, is refused.
gitops:
  branch: main
  fetchFirst: true

approvals:
  # A bare \`approval: { label: … }\` in an intent is refused until defaultPr can verify it.
  unverifiedLabels: refuse
  # PR gate, verified live against GitHub. The token is read from ORESI_GITHUB_TOKEN (read
  # access to this repository's pull requests and issues; for labelBy.teams, org members too).
  # defaultPr verifies a label: the PR is merged, the label was applied by one of labelBy
  # after the last push, and someone other than the author approved it.
  # Gitea: gitea: { apiUrl: https://git.example.net/api/v1, repo: OWNER/homelab } (ORESI_GITEA_TOKEN)
  # and provider: gitea. Change windows for every run: require: { windows: { deny: ["* * 24-26 12 *"] } }
${commentOut(APPROVALS_EXAMPLE, 2)}

# Signed push webhook: a push to main of OWNER/homelab fast-forwards this checkout and requests
# the intents. Make a secret (openssl rand -hex 32), give it to oresi as the environment variable
# ORESI_GITHUB_WEBHOOK_SECRET and to the git host's webhook: payload URL
# https://<oresi>/v1/hooks/github, content type application/json, push events only.
# (Gitea: webhooks.gitea, /v1/hooks/gitea, ORESI_GITEA_WEBHOOK_SECRET.)
${commentOut(WEBHOOKS_EXAMPLE)}

# Alerts: Discord, Slack, Uptime Kuma push, Healthchecks.io, ntfy, signed webhook (oresi's
# docs/alerts.md). Webhook URLs and topics are secrets, so they come from the environment.
${commentOut(NOTIFY_EXAMPLE)}

roles:
  # What the webhook may do: the rollout intents and nothing else.
  deployer:
    intents: ["*-rollout"]
    actions: [rollout, status]
  # People who may run everything and approve others' runs (oresi approve <run>).
  ops:
    approve: true

# API keys: \`oresi keys new alice\` prints the key once and the sha256 line to paste here.
${commentOut(PRINCIPALS_EXAMPLE)}

# Discord / Slack slash commands: the chat: section (oresi's docs/chat.md).
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
