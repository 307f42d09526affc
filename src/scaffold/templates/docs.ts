/**
 * Templates for `oresi init` (docs). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** docs/policies/guardrails.md */
export const GUARDRAILS_MD = `# Guardrails

Rules every change to this repository must pass. \`oresi check --base <branch>\` enforces them on
each PR (exit 1 lists what failed); they are configured in \`policy.yaml\`, which oresi reads from
the base branch so a PR cannot relax its own rules.

| Guardrail | Rule | policy.yaml |
|---|---|---|
| Doc update required | A change to the listed paths also changes one of the listed docs | \`docs.required\` |
| No env files | \`.env\` and \`*.env\` are never committed; commit \`*.env.example\` | \`guardrails.envFiles\`, \`guardrails.envFileTemplates\` |
| No secrets | No added line looks like a credential (redaction patterns + secretlint) | \`redaction.patterns\` |
| Valid intents | Every file in \`intents/\` is a valid oresi intent (\`oresi intents validate\`) | \`review.intentsDir\` |
| Valid compose | Every \`stacks/<name>/compose.yaml\` parses and declares services | \`review.stacksDir\` |
| Pinned images | Changed services use an exact tag (never \`:latest\`), a named registry | \`guardrails.images\` |
| Valid server config | \`oresi.yaml\` passes \`oresi config check\` | — |

Beyond the automated checks:

- **Human approval.** Every PR is reviewed by someone other than its author. Intents that change
  running services can require a PR label set by an approver (\`approval:\` in the intent), which
  oresi verifies live on GitHub or Gitea before it runs them.
- **Redaction at the boundary.** Logs, chat replies, alerts and anything sent to a reviewer
  model pass oresi's redactor. Paste only redacted output (\`oresi redact\`) into issues and PRs.
- **No shell.** oresi runs intents as fixed argv plans; nothing in this repository is executed
  through a shell on the host.
- **Rollback first.** A PR that changes a stack says how to roll it back (the PR template has a
  section; the rubric scores it).
`;

/** docs/policies/rubric.md */
export const RUBRIC_MD = `# Review rubric

\`oresi review --base <branch> --pr-body <file>\` scores every PR from 0 to 5 in eight categories
and posts the result as a comment. The overall score is the (weighted) average × 20. A PR is
**blocked** when any category is at or below \`review.blockAtOrBelow\` (1) or the overall score is
below \`review.minScore\` (80). Each category starts at 5; a finding either takes points off or
caps the category.

| Category | Looks at | Examples of findings |
|---|---|---|
| Security | committed env files, secrets in added lines, privileged, docker.sock, cap_add, registries | \`.env\` committed → 0; \`privileged: true\` → ≤ 1 |
| Reproducibility | image tags and digests, lockfiles beside manifests | \`:latest\` or no tag → ≤ 1; floating \`:1.2\` → −2 |
| Observability | healthcheck, restart policy, monitoring of new services | new service without healthcheck → ≤ 2 |
| Backup/DR | new writable volumes covered by a backup label, intent or note | uncovered volume → −2 |
| Networking | newly published ports, 0.0.0.0 binds, host network, TLS on proxy labels | port on every interface → −2 |
| Data Safety | removed volumes or stacks, \`user: root\`, ownership changes, writable host paths, migrations | volume dropped → −2; writable \`/etc\` → ≤ 1 |
| Rollback | a rollback note in the PR body for every changed stack, saying to what | no note → ≤ 2 |
| Docs Parity | policy.yaml's "doc update required" rules | required doc missing → ≤ 1 |

Only what the PR changes is judged: an untouched service is not this PR's finding.

An optional second opinion (\`--model-url\`, \`--model\`, key in \`ORESI_REVIEW_API_KEY\`) sees the
redacted diff; it may add findings or lower scores, never raise them or unblock.
`;

/** RELEASE_PROCESS.md */
export const RELEASE_PROCESS_MD = `# Release process

Every change reaches the host through a reviewed PR; nothing is edited in place on the host.

1. **Branch and PR.** Change \`stacks/\`, \`intents/\` or the policy on a branch and open a PR. Fill
   in the template: what changes, how to roll back, backups, monitoring.
2. **Check and review.** CI runs \`oresi check\` (guardrails) and \`oresi review\` (rubric) and posts
   the review as a comment. Fix findings until both pass.
3. **Approve.** Someone other than the author approves the PR (branch protection requires the
   \`oresi\` check and one approving review). For intents that require a label
   (\`approval: { label: deploy-approved }\`), an approver applies it after the last push; oresi
   verifies the PR live before such a run (\`oresi run <intent> --pr OWNER/homelab#12\`).
4. **Merge and tag.** Merge to \`main\`, then tag the merge commit:
   \`git tag -a v$(date +%Y.%m.%d)-1 -m "…" && git push --tags\`. Add the tag to CHANGELOG.md.
5. **Sync.** The git host sends a signed push webhook to oresi (\`/v1/hooks/github\` or
   \`/v1/hooks/gitea\`). oresi fast-forwards the host checkout (\`git pull --ff-only\`; it refuses
   a checkout with local edits or a diverged history) and requests the intents listed under
   \`webhooks\` in oresi.yaml, e.g. \`hello-rollout\`, as the \`deployer\` role, through the same
   checks and audit as any other run. This replaces Dockge's hourly \`git pull\`: deploys happen on
   merge, and only what was merged. oresi reads oresi.yaml and \`intents/\` at start-up: after
   merging a change to them, restart oresi.
6. **Rollout.** The \`rollout\` step records the running images as a rollback point, pulls, runs
   \`up\` and waits until every service runs (and is healthy, where it has a healthcheck). If that
   does not happen in time, it puts the recorded images back by themselves: the run ends
   \`rolled_back\` and an alert says so.
7. **Verify.** Watch the Uptime Kuma monitors, \`oresi run hello-status\` and \`oresi drift\`; the
   audit trail (\`oresi audit tail\`) records who or what ran what.

## Rolling back

- **Automatic.** A failed health check ends the rollout \`rolled_back\` on the images it recorded.
  \`main\` still declares the new version, so the next push would roll it out again: revert the
  merge in a PR (below).
- **The images, on the host, in one command.** \`oresi rollback <stack>\` puts the stack back on
  the images recorded before its newest rollout; \`oresi rollback <stack> --to <rollout-id>\` on
  those recorded before a given rollout (the rollout run prints its id: \`rollout <id> of stack
  hello\`; the points are in \`<dataDir>/rollouts/<stack>/\`). It pins images only: compose changes
  (ports, environment, volumes) stay. Follow up with the PR below so \`main\` matches.
- **Through git** (it leaves a reviewed trail): \`git revert\` the merge in a PR, or open a PR
  that restores \`stacks/<stack>\` from the previous tag
  (\`git checkout <previous tag> -- stacks/<stack>\`). Merge, tag, and the webhook rolls it out.
- Never edit the checkout on the host: the next webhook pull refuses a tree with local changes.
- Data: no rollback restores volumes. If the release migrated data, restore the backup taken
  before it (the PR's Backup section says which).
`;

/** CHANGELOG.md */
export const CHANGELOG_MD = `# Changelog

Every release is a git tag (see RELEASE_PROCESS.md). Newest first.

## Unreleased

- Repository scaffolded with \`oresi init\`: the hello stack, its intents, policy and PR workflow.
`;

/** README.md */
export const README_MD = `# Homelab GitOps repository

Docker Compose stacks in the Dockge layout, deployed by [oresi](https://github.com/) on merge.

| Path | What |
|---|---|
| \`stacks/<name>/compose.yaml\` | One folder per stack (\`/opt/stacks/<name>\` on the host) |
| \`intents/\` | What oresi may do to the stacks (status, restart, rollout …) |
| \`oresi.yaml\` | oresi's server configuration |
| \`policy.yaml\` | Guardrails and rubric settings for PRs |
| \`docs/policies/\` | [Guardrails](docs/policies/guardrails.md) and [rubric](docs/policies/rubric.md) |
| \`RELEASE_PROCESS.md\` | From PR to running containers, and back |

Before pushing: \`npx oresi check --base main\` and \`npx oresi review --base main\`.
`;

/** docs/stacks/hello.md */
export const STACK_DOC_MD = `# Stack: hello

An example stack: one nginx web server on 127.0.0.1:8081, healthchecked and monitored.

- Compose file: \`stacks/hello/compose.yaml\` (host: \`/opt/stacks/hello/compose.yaml\`)
- Intents: \`hello-status\`, \`hello-restart\`, \`hello-rollout\`
- Data: none (no volumes), so nothing to back up.
- Monitoring: Uptime Kuma HTTP monitor from the \`kuma.hello.*\` labels.
- Roll back: \`oresi rollback hello\` for the images, then revert to the previous tag in a PR
  (RELEASE_PROCESS.md).
`;
