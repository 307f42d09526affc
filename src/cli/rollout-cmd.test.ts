import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunView } from '../model.js';
import { AppError } from '../errors.js';
import type { DryRunResult } from '../rollout/types.js';
import { describeCliError } from './exit.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';
import { registerRolloutCommands, renderResult, rolloutExitCode, toJsonLine } from './rollout-cmd.js';

const run = (state: RunView['state']): RunView => ({
  id: 'r1', intent: 'rollout', stack: 'web', state, requestedBy: 'cli:me', source: 'cli', reason: null, params: {},
  planHash: 'h', steps: [], createdAt: 't', updatedAt: 't', finishedAt: 't',
});
const dry: DryRunResult = { dryRun: true, rolloutId: 'x', stack: 'web', steps: [], changes: [] };

describe('oresi rollout: results and exit codes', () => {
  it('exits 0 only when every stack succeeded (a dry run counts as success)', () => {
    expect(rolloutExitCode([{ stack: 'a', ok: true, value: run('succeeded') }, { stack: 'b', ok: true, value: dry }])).toBe(0);
    expect(rolloutExitCode([{ stack: 'a', ok: true, value: run('succeeded') }, { stack: 'b', ok: true, value: run('rolled_back') }])).toBe(1);
    expect(rolloutExitCode([{ stack: 'a', ok: false, error: new AppError('E_STACK_BUSY', 'busy') }])).toBe(1);
  });

  it('JSON lines say ok:false for a rolled-back run and carry the error code of a refused stack', () => {
    expect(toJsonLine({ stack: 'a', ok: true, value: run('rolled_back') })).toMatchObject({ stack: 'a', ok: false, run: { state: 'rolled_back' } });
    expect(toJsonLine({ stack: 'b', ok: false, error: new AppError('E_FORBIDDEN', 'no') })).toEqual({ stack: 'b', ok: false, error: { code: 'E_FORBIDDEN', message: 'no' } });
    expect(renderResult({ stack: 'a', ok: true, value: run('rolled_back') })[0]).toBe('✗ a: rolled back');
  });
});

describe('oresi rollout: usage errors exit 2 before anything opens', () => {
  async function invoke(args: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const io: CliIo = {
      argv: ['node', 'oresi', ...args], env: {}, cwd: '/nonexistent', stdout: () => {}, stderr: (t) => { stderr += t; },
      stdin: Readable.from(['']), stdoutIsTTY: false, stdoutAsync: async () => {}, waitForShutdown: () => new Promise(() => {}),
    };
    const program = buildProgram(io);
    if (!program.commands.some((c) => c.name() === 'rollout')) registerRolloutCommands(program, io);
    for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: () => {}, writeErr: (t) => { stderr += t; } });
    try {
      await program.parseAsync(io.argv);
      return { code: 0, stderr };
    } catch (err) {
      const d = describeCliError(err);
      return { code: d.code, stderr: stderr + d.message };
    }
  }

  it.each([
    [['rollout'], /at least one stack/],
    [['rollout', 'web', '--all'], /not both/],
    [['rollout', 'web', '--services', ' , '], /--services needs/],
    [['rollback'], /missing required argument/],
  ])('%j', async (args, message) => {
    const r = await invoke(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
