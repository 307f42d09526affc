import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminCaller, countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { requestRollout } from './rollout.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });

describe('rollout --sync', () => {
  let app: TestApp | undefined;
  afterEach(async () => app?.close());

  it('refuses, naming the reason, when the stacks root has local changes; no compose command starts', async () => {
    let sys!: ReturnType<typeof countingSys>;
    app = await makeTestApp({
      stacks: { web: 'services:\n  app:\n    image: busybox\n' },
      intents: {},
      sys: (real) => (sys = countingSys(real)),
      prepare: async ({ stacksRoot }) => {
        git(stacksRoot, 'init', '-q');
        git(stacksRoot, 'add', '.');
        git(stacksRoot, 'commit', '-q', '-m', 'stacks');
        await writeFile(join(stacksRoot, 'web', 'compose.yaml'), 'services:\n  app:\n    image: busybox:edited\n');
      },
    });
    sys.spawns.length = 0;
    await expect(requestRollout(app.ctx, adminCaller, { stacks: ['web'], sync: true })).rejects.toMatchObject({
      code: 'E_CONFLICT', message: expect.stringMatching(/stacks repository.*web\/compose\.yaml/s),
    });
    expect(sys.spawns.every((argv) => argv[0] === 'git')).toBe(true);
    expect(sys.spawns.length).toBeGreaterThan(0);
    // Every git command had its audit record before it ran.
    const commands = app.ctx.audit.list({ limit: 100 }).filter((e) => e.type === 'step.command' && (e.data as { description?: string }).description);
    expect(commands.length).toBe(sys.spawns.length);
  });
});
