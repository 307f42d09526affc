import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { requestRollback, requestRollout, type StackRolloutResult } from '../commands/rollout.js';
import type { RunView } from '../model.js';
import { isAppError } from '../errors.js';
import type { DryRunResult } from '../rollout/types.js';
import { cliCaller, openApp } from './context.js';
import { CliExit, EXIT_BAD, EXIT_USAGE } from './exit.js';
import { printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';
import { renderRun } from './run-cmd.js';

interface RolloutFlags {
  all?: boolean;
  dryRun?: boolean;
  /** commander's --no-pull: false when given. */
  pull: boolean;
  sync?: boolean;
  services?: string;
  reason?: string;
}

/** One line per stack for scripts (stdout not a terminal, or --json): `{stack, ok, run|dryRun|error}`. */
export function toJsonLine(r: StackRolloutResult): Record<string, unknown> {
  if (!r.ok) return { stack: r.stack, ok: false, error: describeError(r.error) };
  return isDryRun(r.value) ? { stack: r.stack, ok: true, dryRun: r.value } : { stack: r.stack, ok: r.value.state === 'succeeded', run: r.value };
}

export function renderResult(r: StackRolloutResult): string[] {
  if (!r.ok) {
    const e = describeError(r.error);
    return [`✗ ${r.stack}: ${e.code}: ${e.message}`];
  }
  if (isDryRun(r.value)) return renderDryRun(r.value);
  const mark = r.value.state === 'succeeded' ? '✓' : '✗';
  return [`${mark} ${r.stack}: ${r.value.state.replace('_', ' ')}`, ...renderRun(r.value).map((l) => `  ${l}`)];
}

/** 0 when every stack succeeded (a dry run counts), 1 otherwise. */
export function rolloutExitCode(results: readonly StackRolloutResult[]): number {
  return results.every((r) => r.ok && (isDryRun(r.value) || r.value.state === 'succeeded')) ? 0 : EXIT_BAD;
}

function renderDryRun(d: DryRunResult): string[] {
  const lines = [`${d.stack} (dry run: nothing ran):`];
  for (const c of d.changes) {
    const move = c.wouldChange ? `would move ${short(c.currentImageId)} → ${short(c.localImageId)}` : 'no local change';
    lines.push(`  ${c.service}: ${c.imageRef ?? '(no image ref)'}: ${move}${c.wouldPull ? ', pulls first (may move further)' : ''}`);
  }
  for (const s of d.steps) lines.push(`  $ ${s.argv.join(' ')}`);
  return lines;
}

const short = (id: string | null) => (id === null ? 'nothing' : id.replace(/^sha256:/, '').slice(0, 12));

function isDryRun(v: RunView | DryRunResult): v is DryRunResult {
  return (v as DryRunResult).dryRun === true;
}

function describeError(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: 'E_INTERNAL', message: err instanceof Error ? err.message : String(err) };
}

function parseServices(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw new CliExit(EXIT_USAGE, 'oresi: --services needs at least one service name');
  return list;
}

export function registerRolloutCommands(program: Command, io: CliIo): void {
  program.command('rollout [stacks...]')
    .description('health-checked rollout: pull, up, wait for health, roll back automatically on failure; exit 0 all succeeded, 1 any failed or rolled back')
    .option('--all', 'every stack you may roll out')
    .option('--dry-run', 'show which images would move; runs nothing')
    .option('--no-pull', 'roll out what is already local')
    .option('--sync', 'first git pull --ff-only the stacks repository (refused on a dirty tree or divergence)')
    .option('--services <a,b>', 'only these services')
    .option('--reason <text>', 'why, for the audit trail')
    .action(async (stacks: string[], flags: RolloutFlags, cmd: Command) => {
      if (flags.all === true && stacks.length > 0) throw new CliExit(EXIT_USAGE, 'oresi: name stacks or give --all, not both');
      if (flags.all !== true && stacks.length === 0) throw new CliExit(EXIT_USAGE, 'oresi: name at least one stack, or give --all');
      const services = parseServices(flags.services);
      const lines = globalOptions(cmd).json === true || !io.stdoutIsTTY;
      const ctx = await openApp(cmd, io, flags.dryRun ? 'read' : 'full');
      try {
        const results = await requestRollout(ctx, cliCaller(io, ctx.config), {
          stacks: flags.all ? 'all' : stacks,
          pull: flags.pull,
          sync: flags.sync === true,
          dryRun: flags.dryRun === true,
          waitMs: ctx.config.rollout.timeoutSeconds * 1000 + 60_000,
          ...(services ? { services } : {}),
          ...(flags.reason ? { reason: flags.reason } : {}),
          // Progress as each stack ends, not all at the end.
          onResult: (r) => (lines ? io.stdout(`${JSON.stringify(toJsonLine(r))}\n`) : printLines(io, renderResult(r))),
        });
        const code = rolloutExitCode(results);
        if (code !== 0) throw new CliExit(code);
      } finally {
        await closeApp(ctx);
      }
    });

  program.command('rollback <stack>')
    .description('put a stack back on the images recorded before a rollout (default: the newest), then verify them')
    .option('--to <rollout-id>', 'the rollout whose rollback point to restore')
    .option('--reason <text>', 'why, for the audit trail')
    .action(async (stack: string, flags: { to?: string; reason?: string }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'full');
      try {
        const run = await requestRollback(ctx, cliCaller(io, ctx.config), {
          stack, waitMs: ctx.config.rollout.timeoutSeconds * 1000 + 60_000,
          ...(flags.to !== undefined ? { to: flags.to } : {}), ...(flags.reason ? { reason: flags.reason } : {}),
        });
        if (globalOptions(cmd).json) printJson(io, run);
        else printLines(io, renderRun(run));
        if (run.state !== 'succeeded') throw new CliExit(EXIT_BAD);
      } finally {
        await closeApp(ctx);
      }
    });
}
