import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReviewReport } from '../../src/review/types.js';
import { cli as oresi } from '../helpers/cli.js';
import { createFixtureRepo, type FileEdits, type FixtureRepo } from '../fixtures/review/git-repo.js';
import { BASE_FILES, ENV_SECRET, INLINE_TOKEN, SCENARIOS } from '../fixtures/review/scenarios.js';

const repos: FixtureRepo[] = [];
afterAll(() => { for (const r of repos) r.cleanup(); });

function repoFor(edits: FileEdits, prBody: string | null): { repo: FixtureRepo; bodyArgs: string[] } {
  const repo = createFixtureRepo(BASE_FILES, edits);
  repos.push(repo);
  if (prBody === null) return { repo, bodyArgs: [] };
  const file = join(repo.dir, '.git', 'pr-body.md');
  writeFileSync(file, prBody);
  return { repo, bodyArgs: ['--pr-body', file] };
}

async function review(scenario: { edits: FileEdits; prBody: string | null }): Promise<{ code: number; report: ReviewReport; stdout: string }> {
  const { repo, bodyArgs } = repoFor(scenario.edits, scenario.prBody);
  const out = await oresi(['review', '--base', 'main', '--repo', repo.dir, ...bodyArgs, '--format', 'json']);
  expect(out.stderr).toBe('');
  return { code: out.code, report: JSON.parse(out.stdout) as ReviewReport, stdout: out.stdout };
}

describe('oresi review on real git repositories', () => {
  it('passes a clean image bump with a changelog entry and a rollback note', async () => {
    const { code, report } = await review(SCENARIOS.cleanBump);
    expect(code).toBe(0);
    expect(report.block).toBe(false);
    expect(report.score).toBe(100);
    expect(report.findings).toEqual([]);
    expect(report.categories.reproducibility.reasons).toContain('1 changed image(s) pinned to an exact version');
    expect(report.categories.rollback.reasons).toEqual(['the PR body says how to roll back media']);
    expect(report.categories.docs_parity.reasons[0]).toMatch(/satisfied by CHANGELOG\.md/);
  });

  it('blocks a committed .env with Security 0, and never prints the secrets it found', async () => {
    const { code, report, stdout } = await review(SCENARIOS.envCommitted);
    expect(code).toBe(1);
    expect(report.block).toBe(true);
    expect(report.categories.security.score).toBe(0);
    expect(report.categories.security.reasons[0]).toBe("stacks/media/.env is committed: env files hold a stack's secrets");
    expect(report.findings.filter((f) => f.area === 'security' && f.severity === 'high').map((f) => f.msg)).toEqual([
      "stacks/media/.env is committed: env files hold a stack's secrets",
      'possible secret at stacks/media/compose.yaml:15 (found by redaction patterns)',
      'possible secret at stacks/media/compose.yaml:16 (found by committed env value)',
    ]);
    expect(report.required_actions[0]).toMatch(/remove stacks\/media\/\.env .*rotate/);
    expect(stdout).not.toContain(ENV_SECRET);
    expect(stdout).not.toContain(INLINE_TOKEN);
  });

  it('marks :latest down in Reproducibility and blocks', async () => {
    const { code, report } = await review(SCENARIOS.latest);
    expect(code).toBe(1);
    expect(report.categories.reproducibility).toEqual({
      score: 1,
      reasons: ['media/jellyfin: ghcr.io/jellyfin/jellyfin:latest uses :latest; every pull may change what runs'],
    });
    expect(report.required_actions).toContain('pin media/jellyfin to an exact version tag (better: tag@sha256 digest)');
  });

  it('scores Observability low for a new service without a healthcheck or monitor', async () => {
    const { report } = await review(SCENARIOS.newServiceNoHealthcheck);
    expect(report.categories.observability.score).toBe(2);
    expect(report.categories.observability.reasons).toEqual([
      'new service media/sonarr has no healthcheck, so a broken rollout looks healthy',
      'nothing says how new service media/sonarr is monitored (no Kuma label, alert or monitor mention)',
    ]);
    // The untouched service is not this PR's finding.
    expect(JSON.stringify(report)).not.toContain('media/jellyfin');
  });

  it('scores Docs Parity low when the policy requires a doc the change lacks', async () => {
    const { code, report } = await review(SCENARIOS.docsMissing);
    expect(code).toBe(1);
    expect(report.categories.docs_parity.score).toBe(1);
    expect(report.categories.docs_parity.reasons).toEqual([
      'stack changes need a docs or CHANGELOG update: stacks/media/compose.yaml changed but no doc matching docs/**, CHANGELOG.md did',
    ]);
  });

  it('gives a change that does everything right 5/5 everywhere and 100', async () => {
    const { code, report } = await review(SCENARIOS.perfect);
    expect(code).toBe(0);
    expect(report.score).toBe(100);
    for (const c of Object.values(report.categories)) expect(c.score).toBe(5);
    expect(report.categories.backup_dr.reasons).toEqual(['new volume sonarr-config on media/sonarr is covered by a backup label or note']);
    expect(report.categories.networking.reasons).toEqual([
      'media/sonarr publishes 127.0.0.1:8989:8989 on 127.0.0.1 only',
      'media/sonarr is served through the reverse proxy with TLS',
    ]);
  });

  it('caps Rollback when a stack changes and no PR body says how to undo it', async () => {
    const { report } = await review({ ...SCENARIOS.cleanBump, prBody: '## What changes\nbump\n\n## Rollback\n<!-- how to undo -->\n' });
    expect(report.categories.rollback).toEqual({ score: 2, reasons: ['stack(s) media changed but the PR body has no rollback note'] });
  });

  it('renders a Markdown comment with the verdict, the table and the actions', async () => {
    const { repo, bodyArgs } = repoFor(SCENARIOS.latest.edits, SCENARIOS.latest.prBody);
    const out = await oresi(['review', '--base', 'main', '--repo', repo.dir, ...bodyArgs]);
    expect(out.code).toBe(1);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('### oresi review: 90/100 — ⛔ **blocked**');
    expect(lines).toContain('| Reproducibility | 🔴 1/5 | media/jellyfin: ghcr.io/jellyfin/jellyfin:latest uses :latest; every pull may change what runs |');
    expect(lines).toContain('**Required actions**');
    expect(lines).toContain('- [ ] pin media/jellyfin to an exact version tag (better: tag@sha256 digest)');
  });

  it('judges a PR by the policy of its base: relaxing policy.yaml in the PR does not help', async () => {
    const { code, report } = await review({
      edits: { ...SCENARIOS.docsMissing.edits, 'policy.yaml': 'docs:\n  required: []\n' },
      prBody: SCENARIOS.docsMissing.prBody,
    });
    expect(code).toBe(1);
    expect(report.categories.docs_parity.score).toBe(1);
  });

  it('exits 2 with a message for an unknown ref, an option-like ref and an invalid policy', async () => {
    const { repo } = repoFor(SCENARIOS.cleanBump.edits, null);
    const unknown = await oresi(['review', '--base', 'no-such-branch', '--repo', repo.dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('E_BAD_REQUEST: git ref "no-such-branch" does not name a commit');
    const injected = await oresi(['review', '--base=--output=/tmp/x', '--repo', repo.dir]);
    expect(injected.code).toBe(2);
    expect(injected.stderr).toContain('not a usable git ref');
    const bad = join(repo.dir, '.git', 'bad-policy.yaml');
    writeFileSync(bad, 'review:\n  minScore: 180\n');
    const invalid = await oresi(['review', '--base', 'main', '--repo', repo.dir, '--policy', bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/bad-policy\.yaml:2:\d+ review\.minScore/);
  });
});

describe('oresi check on real git repositories', () => {
  it('fails when the doc the policy requires is missing, and passes with it', async () => {
    const { repo } = repoFor(SCENARIOS.docsMissing.edits, null);
    const failed = await oresi(['--json', 'check', '--base', 'main', '--repo', repo.dir]);
    expect(failed.code).toBe(1);
    const result = JSON.parse(failed.stdout) as { ok: boolean; findings: { rule: string; msg: string }[] };
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.rule)).toEqual(['docs']);
    const { repo: good } = repoFor(SCENARIOS.cleanBump.edits, null);
    expect((await oresi(['check', '--base', 'main', '--repo', good.dir])).code).toBe(0);
  });

  it('fails on a committed .env, an invalid intent, a broken compose file and :latest', async () => {
    const { repo } = repoFor({
      'stacks/media/.env': 'X=1\n',
      'stacks/broken/compose.yaml': 'services: [\n',
      'intents/bad.yaml': 'apiVersion: oresi.dev/v1\nkind: Intent\nname: Bad Name\nstack: media\nsteps: []\n',
      'stacks/media/compose.yaml': SCENARIOS.latest.edits['stacks/media/compose.yaml'],
      'CHANGELOG.md': '# Changelog\n\n- many things\n',
    }, null);
    const out = await oresi(['check', '--base', 'main', '--repo', repo.dir]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('✗ [env-file] stacks/media/.env must not be committed');
    expect(out.stdout).toMatch(/✗ \[intents\] intents\/bad\.yaml:3:\d+ name: must match/);
    expect(out.stdout).toMatch(/✗ \[compose\] stacks\/broken\/compose\.yaml not valid YAML/);
    expect(out.stdout).toContain('✗ [image-pinning] media/jellyfin: ghcr.io/jellyfin/jellyfin:latest uses :latest');
    expect(out.stdout).toContain('check FAILED');
  });
});
