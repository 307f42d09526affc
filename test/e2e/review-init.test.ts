import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listScaffoldFiles } from '../../src/scaffold/scaffold-files.js';
import type { ReviewReport } from '../../src/review/types.js';
import { cli as oresi } from '../helpers/cli.js';
import { commitAll, git } from '../fixtures/review/git-repo.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'oresi-init-'));
  dirs.push(d);
  return d;
}

describe('oresi init', () => {
  it('scaffolds a repository that passes oresi check, intents validate and review as generated', async () => {
    const dir = tempDir();
    git(dir, ['init', '-q', '-b', 'main']);
    const base = commitAll(dir, 'empty');
    git(dir, ['checkout', '-q', '-b', 'scaffold']);
    const init = await oresi(['init', dir]);
    expect(init.code).toBe(0);
    const expected = listScaffoldFiles('0.0.0').map((f) => f.path);
    for (const path of expected) expect(init.stdout).toContain(`wrote ${path}`);
    commitAll(dir, 'oresi init');

    const check = await oresi(['--json', 'check', '--base', base, '--repo', dir]);
    const result = JSON.parse(check.stdout) as { ok: boolean; findings: unknown[]; checked: { intents: number; composeFiles: number } };
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checked).toMatchObject({ intents: 3, composeFiles: 1 });
    expect(check.code).toBe(0);

    // The generated policy.yaml is valid and its doc rules are met by the scaffold itself.
    const withPolicy = await oresi(['check', '--base', base, '--repo', dir, '--policy', join(dir, 'policy.yaml')]);
    expect(withPolicy.stdout).toContain('check passed');
    expect(withPolicy.stdout).toContain('2 doc rule(s)');
    expect(withPolicy.code).toBe(0);

    const validate = await oresi(['--config', join(dir, 'oresi.yaml'), 'intents', 'validate']);
    expect(validate.stdout).toContain('3 intent(s) valid');
    expect(validate.code).toBe(0);

    // The template's own PR body, untouched, is not a rollback note; everything else scores 5.
    const template = join(dir, '.github', 'pull_request_template.md');
    const review = await oresi(['review', '--base', base, '--repo', dir, '--format', 'json', '--pr-body', template]);
    const report = JSON.parse(review.stdout) as ReviewReport;
    expect(report.categories.rollback.score).toBe(2);
    const others = Object.entries(report.categories).filter(([c]) => c !== 'rollback').map(([, v]) => v.score);
    expect(others).toEqual([5, 5, 5, 5, 5, 5, 5]);
    expect(report.block).toBe(false);
  });

  it('writes workflows that run check and review and post the Markdown as a PR comment', async () => {
    const dir = tempDir();
    expect((await oresi(['init', dir])).code).toBe(0);
    const gh = parse(readFileSync(join(dir, '.github/workflows/oresi.yml'), 'utf8')) as { jobs: { oresi: { steps: { run?: string }[] } } };
    const runs = gh.jobs.oresi.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toMatch(/npx --yes "\$ORESI" check --base/);
    expect(runs).toMatch(/npx --yes "\$ORESI" review --base .* --format md/);
    expect(runs).toContain('gh pr comment');
    const gitea = readFileSync(join(dir, '.gitea/workflows/oresi.yml'), 'utf8');
    expect(() => parse(gitea) as unknown).not.toThrow();
    expect(gitea).toContain('/issues/${{ gitea.event.pull_request.number }}/comments');
    expect(readFileSync(join(dir, '.github/pull_request_template.md'), 'utf8')).toContain('docs/policies/rubric.md');
    expect(readFileSync(join(dir, 'RELEASE_PROCESS.md'), 'utf8')).toMatch(/previous tag/);
  });

  it('refuses to overwrite existing files (exit 2, naming them) unless --force', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'stacks', 'hello'), { recursive: true });
    writeFileSync(join(dir, 'policy.yaml'), 'mine\n');
    writeFileSync(join(dir, 'stacks', 'hello', 'compose.yaml'), 'mine too\n');
    const refused = await oresi(['init', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(refused.stderr).toContain('  policy.yaml');
    expect(refused.stderr).toContain('  stacks/hello/compose.yaml');
    // Nothing at all was written.
    expect(readFileSync(join(dir, 'policy.yaml'), 'utf8')).toBe('mine\n');
    expect(() => readFileSync(join(dir, 'oresi.yaml'))).toThrow();

    const forced = await oresi(['init', '--force', dir]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('overwrote policy.yaml');
    expect(readFileSync(join(dir, 'policy.yaml'), 'utf8')).toContain('guardrails:');
  });
});
