import { describe, expect, it } from 'vitest';
import { parseComposeFacts } from './compose-facts.js';
import { defaultReviewPolicy, ReviewPolicyFile } from './review-policy-schema.js';
import { overallScore, scoreCategory, scoreReview } from './score-review.js';
import { CATEGORIES, type Category, type CategoryResult, type FileChange, type ReviewInput } from './types.js';

const PATH = 'stacks/app/compose.yaml';
const GOOD = (extra = '') => `services:
  app:
    image: ghcr.io/acme/app:1.2.3
    restart: unless-stopped
    healthcheck: { test: ["CMD", "true"] }
    labels: { kuma.app.http.name: app }
${extra}`;

/** A change of one compose file from `base` to `head`, with a rollback note and a changelog. */
function change(base: string | null, head: string | null, more: Partial<ReviewInput> = {}): ReviewInput {
  const added = (head ?? '').split('\n').map((text, i) => ({ line: i + 1, text }));
  const files: FileChange[] = [
    { path: PATH, status: base === null ? 'added' : head === null ? 'deleted' : 'modified', added, binary: false },
    { path: 'CHANGELOG.md', status: 'modified', added: [{ line: 3, text: '- change' }], binary: false },
  ];
  return {
    files,
    headPaths: [PATH, 'CHANGELOG.md'],
    composes: [{ stack: 'app', path: PATH, head: head === null ? null : parseComposeFacts(head), base: base === null ? null : parseComposeFacts(base) }],
    prBody: '## Rollback\nRedeploy tag v1.0.0.\n',
    secretHits: [],
    ...more,
  };
}

const policy = defaultReviewPolicy();
const scores = (input: ReviewInput) => scoreReview(input, policy).categories;

describe('scoreCategory', () => {
  it('takes penalties off 5, never goes above the lowest cap, and stays within 0–5', () => {
    expect(scoreCategory({ issues: [], notes: ['fine'] })).toEqual({ score: 5, reasons: ['fine'] });
    expect(scoreCategory({ issues: [{ area: 'security', severity: 'low', msg: 'a', penalty: 1 }, { area: 'security', severity: 'med', msg: 'b', penalty: 2 }], notes: [] }).score).toBe(2);
    expect(scoreCategory({ issues: [{ area: 'security', severity: 'high', msg: 'a', cap: 1 }, { area: 'security', severity: 'low', msg: 'b', penalty: 1 }], notes: [] }).score).toBe(1);
    expect(scoreCategory({ issues: Array.from({ length: 9 }, () => ({ area: 'security' as const, severity: 'med' as const, msg: 'x', penalty: 2 })), notes: [] }).score).toBe(0);
  });
});

describe('overallScore', () => {
  const all = (s: number): Record<Category, CategoryResult> => Object.fromEntries(CATEGORIES.map((c): [Category, CategoryResult] => [c, { score: s, reasons: [] }])) as Record<Category, CategoryResult>;
  it('is the weighted average × 20', () => {
    expect(overallScore(all(5), {})).toBe(100);
    expect(overallScore({ ...all(5), security: { score: 1, reasons: [] } }, {})).toBe(90);
    expect(overallScore({ ...all(5), security: { score: 1, reasons: [] } }, { security: 3 })).toBe(Math.round(((1 * 3 + 5 * 7) / 10) * 20));
  });
});

describe('scoreReview', () => {
  it('scores an untouched-looking good change 100', () => {
    const report = scoreReview(change(GOOD(), GOOD().replace('1.2.3', '1.2.4')), policy);
    expect(report).toMatchObject({ score: 100, block: false, findings: [], required_actions: [] });
  });

  it.each([
    ['privileged', '    privileged: true\n', 'security', 1, 'runs privileged: true'],
    ['docker.sock', '    volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]\n', 'security', 1, 'mounts the Docker socket'],
    ['cap_add ALL', '    cap_add: [ALL]\n', 'security', 1, 'adds every capability'],
    ['cap_add NET_ADMIN', '    cap_add: [NET_ADMIN]\n', 'security', 3, 'adds NET_ADMIN'],
    ['all-interface port', '    ports: ["8080:80"]\n', 'networking', 3, 'publishes 8080:80 on every interface (no host address given)'],
    ['host network', '    network_mode: host\n', 'networking', 3, 'moves to network_mode: host'],
    ['user root', '    user: root\n', 'data_safety', 3, 'runs as user: root'],
    ['writable /etc', '    volumes: ["/etc:/host-etc"]\n', 'data_safety', 1, 'mounts host path /etc writable'],
    ['uncovered volume', '    volumes: ["appdata:/data"]\n', 'backup_dr', 3, 'new writable volume appdata → /data'],
  ] as const)('%s lowers its category', (_name, extra, area, score, reason) => {
    const result = scores(change(GOOD(), GOOD(extra)))[area];
    expect(result.score).toBe(score);
    expect(result.reasons.join('\n')).toContain(reason);
  });

  it('notices reverse-proxy labels without TLS', () => {
    const head = GOOD().replace('labels: { kuma.app.http.name: app }', 'labels: { kuma.app.http.name: app, traefik.http.routers.app.rule: "Host(`app.lan`)" }');
    expect(scores(change(GOOD(), head)).networking).toMatchObject({ score: 4, reasons: [expect.stringContaining('reverse-proxy labels without TLS'), 'no newly published port'] });
    const tls = head.replace('rule:', 'tls: "true", traefik.http.routers.app.rule:');
    expect(scores(change(GOOD(), tls)).networking.score).toBe(5);
  });

  it('does not judge services the change leaves alone', () => {
    const base = GOOD('  legacy:\n    image: nginx\n    privileged: true\n');
    const head = base.replace('1.2.3', '1.2.4');
    expect(scores(change(base, head)).security.score).toBe(5);
    expect(scores(change(base, head)).reproducibility.score).toBe(5);
  });

  it('accepts a Backup section in the PR body that names the new volume', () => {
    const input = change(GOOD(), GOOD('    volumes: ["appdata:/data"]\n'), { prBody: '## Rollback\ntag v1.0.0\n## Backup\nappdata goes into the nightly restic run\n' });
    expect(scores(input).backup_dr).toEqual({ score: 5, reasons: ['new volume appdata on app/app is covered by a backup label or note'] });
  });

  it('reports a dropped volume and a removed stack under Data Safety', () => {
    const base = GOOD('    volumes: ["appdata:/data"]\n');
    expect(scores(change(base, GOOD())).data_safety.reasons[0]).toContain('no longer mounts appdata at /data');
    expect(scores(change(GOOD(), null)).data_safety.reasons[0]).toContain('stack app is removed');
  });

  it('wants a lockfile beside a changed manifest', () => {
    const input = change(GOOD(), GOOD());
    input.files.push({ path: 'tools/bot/package.json', status: 'modified', added: [], binary: false });
    expect(scores(input).reproducibility.reasons[0]).toContain('tools/bot/package.json changed but no lockfile');
    input.headPaths.push('tools/bot/package-lock.json');
    input.files.push({ path: 'tools/bot/package-lock.json', status: 'modified', added: [], binary: false });
    expect(scores(input).reproducibility.score).toBe(5);
  });

  it('blocks when one category is at the threshold even if the average passes', () => {
    const report = scoreReview(change(GOOD(), GOOD('    privileged: true\n')), policy);
    expect(report.score).toBe(90);
    expect(report.block).toBe(true);
    const lenient = ReviewPolicyFile.parse({ review: { blockAtOrBelow: 0 } });
    expect(scoreReview(change(GOOD(), GOOD('    privileged: true\n')), { ...lenient, docs: policy.docs }).block).toBe(false);
  });

  it('blocks below minScore', () => {
    const strict = { ...ReviewPolicyFile.parse({ review: { minScore: 95 } }), docs: policy.docs };
    const report = scoreReview(change(GOOD(), GOOD('    user: root\n')), strict);
    expect(report.score).toBe(95);
    expect(report.block).toBe(false);
    expect(scoreReview(change(GOOD(), GOOD('    user: root\n    ports: ["80:80"]\n')), strict).block).toBe(true);
  });
});
