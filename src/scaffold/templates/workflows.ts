/**
 * Templates for `oresi init` (workflows). Embedded as strings because tsc does not copy
 * non-TS files into dist/. `__ORESI_VERSION__` is replaced with the running version.
 */

/** .github/workflows/oresi.yml */
export const GITHUB_WORKFLOW = `# Runs the guardrails and the rubric on every PR and posts the review as a comment.
# Guardrails: docs/policies/guardrails.md. Rubric: docs/policies/rubric.md.
name: oresi
on:
  pull_request:
    types: [opened, synchronize, reopened, edited]

permissions:
  contents: read
  pull-requests: write

env:
  # Pinned like everything else in this repository.
  ORESI: oresi@__ORESI_VERSION__

jobs:
  oresi:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the review diffs against the merge base
      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Review (rubric)
        id: review
        env:
          BASE_REF: \${{ github.base_ref }}
          PR_BODY: \${{ github.event.pull_request.body }}
          # Optional second opinion from an OpenAI-compatible endpoint:
          # ORESI_REVIEW_API_KEY: \${{ secrets.ORESI_REVIEW_API_KEY }}
        run: |
          printf '%s' "$PR_BODY" > "$RUNNER_TEMP/pr-body.md"
          set +e
          npx --yes "$ORESI" review --base "origin/$BASE_REF" --pr-body "$RUNNER_TEMP/pr-body.md" --format md > "$RUNNER_TEMP/review.md"
          echo "code=$?" >> "$GITHUB_OUTPUT"

      - name: Post the review
        if: always()
        env:
          GH_TOKEN: \${{ github.token }}
          PR: \${{ github.event.pull_request.number }}
        run: |
          test -s "$RUNNER_TEMP/review.md" || exit 0
          gh pr comment "$PR" --body-file "$RUNNER_TEMP/review.md" --edit-last \\
            || gh pr comment "$PR" --body-file "$RUNNER_TEMP/review.md"

      - name: Guardrails (doc update required, no secrets, valid intents and compose, pinned images)
        env:
          BASE_REF: \${{ github.base_ref }}
        run: npx --yes "$ORESI" check --base "origin/$BASE_REF"

      - name: Verdict
        if: steps.review.outputs.code != '0'
        run: |
          echo "oresi review blocked this PR (exit \${{ steps.review.outputs.code }}); see the comment."
          exit 1
`;

/** .gitea/workflows/oresi.yml */
export const GITEA_WORKFLOW = `# Gitea Actions twin of .github/workflows/oresi.yml. Needs a runner with Node 20 and a token
# that may comment on PRs (repository secret ORESI_GITEA_TOKEN).
name: oresi
on:
  pull_request:
    types: [opened, synchronize, reopened, edited]

env:
  ORESI: oresi@__ORESI_VERSION__

jobs:
  oresi:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 20

      - name: Review (rubric)
        id: review
        env:
          BASE_REF: \${{ gitea.base_ref }}
          PR_BODY: \${{ gitea.event.pull_request.body }}
        run: |
          printf '%s' "$PR_BODY" > /tmp/pr-body.md
          set +e
          npx --yes "$ORESI" review --base "origin/$BASE_REF" --pr-body /tmp/pr-body.md --format md > /tmp/review.md
          echo "code=$?" >> "$GITHUB_OUTPUT"

      - name: Post the review
        if: always()
        env:
          TOKEN: \${{ secrets.ORESI_GITEA_TOKEN }}
          API: \${{ gitea.server_url }}/api/v1/repos/\${{ gitea.repository }}/issues/\${{ gitea.event.pull_request.number }}/comments
        run: |
          test -s /tmp/review.md || exit 0
          node -e 'process.stdout.write(JSON.stringify({ body: require("fs").readFileSync("/tmp/review.md", "utf8") }))' > /tmp/comment.json
          curl --fail --silent --show-error -X POST -H "Authorization: token $TOKEN" \\
            -H 'Content-Type: application/json' --data @/tmp/comment.json "$API" > /dev/null

      - name: Guardrails
        env:
          BASE_REF: \${{ gitea.base_ref }}
        run: npx --yes "$ORESI" check --base "origin/$BASE_REF"

      - name: Verdict
        if: steps.review.outputs.code != '0'
        run: |
          echo "oresi review blocked this PR; see the comment."
          exit 1
`;

/** .github/pull_request_template.md */
export const PR_TEMPLATE = `## What changes

<!-- Stacks, images (old → new tag), intents, policy. -->

## Why

## Rollback

<!-- How to undo it: \`oresi rollback <stack>\` puts the previous images back at once; then \`git revert\` the merge, or restore the stack from the previous tag (e.g. v2025.01.3), and the webhook rolls it out. Name the tag or version. -->

## Backup

<!-- New volumes and how they are backed up (label, backup intent, docs). Migrations: the snapshot taken first. -->

## Monitoring

<!-- The Uptime Kuma monitor or alert for each new service. -->

## Checklist

- [ ] Follows the guardrails: [docs/policies/guardrails.md](../docs/policies/guardrails.md) (\`oresi check\` passes)
- [ ] Scored against the rubric: [docs/policies/rubric.md](../docs/policies/rubric.md) (\`oresi review\` comment is green)
- [ ] Docs or CHANGELOG updated where policy.yaml requires it
- [ ] No env file or credential in the diff
`;
