import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { planRun } from '../commands/plan.js';
import { approveRun, denyRun } from '../commands/approve.js';
import { requestRun } from '../commands/runs.js';
import type { RunView } from '../model.js';
import { renderPlan } from '../plan/render.js';
import { cliCaller, collectParam, openApp } from './context.js';
import { CliExit, EXIT_BAD } from './exit.js';
import { printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';

interface RunOptions {
  param?: Record<string, string>;
  dryRun?: boolean;
  reason?: string;
  yes?: boolean;
  pr?: string;
  breakGlass?: boolean;
}

export function renderRun(run: RunView): string[] {
  const lines = [`run ${run.id}: ${run.intent} on ${run.stack} → ${run.state}`];
  for (const s of run.steps) {
    lines.push(`  ${s.index}. ${s.description}: ${s.outcome}${s.exitCode !== null ? ` (exit ${s.exitCode})` : ''}${s.durationMs !== null ? ` in ${s.durationMs} ms` : ''}`);
    for (const [name, text] of [['stdout', s.stdout], ['stderr', s.stderr]] as const) {
      if (text.trim()) lines.push(...text.trimEnd().split('\n').map((l) => `     ${name === 'stderr' ? '!' : '|'} ${l}`));
    }
  }
  return lines;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  const rl = createInterface({ input: io.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function registerRunCommands(program: Command, io: CliIo): void {
  program.command('plan <intent>')
    .description('print the exact argv a run would execute; runs nothing')
    .option('-p, --param <key=value>', 'a parameter (repeatable)', collectParam)
    .action(async (intent: string, opts: RunOptions, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'read');
      const plan = await planRun(ctx, cliCaller(io, ctx.config), { intent, params: opts.param ?? {} });
      if (globalOptions(cmd).json) printJson(io, plan);
      else io.stdout(renderPlan(plan) + '\n');
    });

  program.command('run <intent>')
    .description('run an intent (asks for confirmation on a terminal; never when stdin is not one)')
    .option('-p, --param <key=value>', 'a parameter (repeatable)', collectParam)
    .option('--dry-run', 'print the plan and stop')
    .option('--reason <text>', 'why, for the audit trail')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--pr <ref>', 'the approving pull request (owner/repo#123 or its URL)')
    .option('--break-glass', 'run outside the change window (needs an approval from someone else; audited)')
    .action(async (intent: string, opts: RunOptions, cmd: Command) => {
      const json = globalOptions(cmd).json === true;
      const ctx = await openApp(cmd, io, opts.dryRun ? 'read' : 'full');
      try {
        const caller = cliCaller(io, ctx.config);
        const plan = await planRun(ctx, caller, { intent, params: opts.param ?? {} });
        if (opts.dryRun) {
          if (json) printJson(io, { dryRun: true, plan });
          else io.stdout(renderPlan(plan) + '\n');
          return;
        }
        if (io.stdin.isTTY && !opts.yes && !json) {
          io.stderr(renderPlan(plan) + '\n');
          if (!(await confirm(io, 'Run this plan? [y/N] '))) throw new CliExit(EXIT_BAD, 'oresi: not confirmed; nothing ran');
        }
        const run = await requestRun(ctx, caller, {
          intent, params: opts.param ?? {}, waitMs: plan.timeoutMs + 60_000,
          ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.pr ? { pr: opts.pr } : {}), ...(opts.breakGlass ? { breakGlass: true } : {}),
        });
        if (json) printJson(io, run);
        else printLines(io, renderRun(run));
        if (run.state === 'pending_approval' && !json) io.stderr(`waiting for approval from someone else: oresi approve ${run.id}\n`);
        if (run.state !== 'succeeded') throw new CliExit(EXIT_BAD);
      } finally {
        await closeApp(ctx);
      }
    });

  program.command('approve <run>')
    .description('approve a run waiting for approvals; it starts here once the quorum is reached')
    .option('--comment <text>', 'recorded with the approval')
    .action(async (id: string, opts: { comment?: string }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'full');
      try {
        const run = await approveRun(ctx, cliCaller(io, ctx.config), id, { ...(opts.comment ? { comment: opts.comment } : {}), waitMs: 3_600_000 });
        if (globalOptions(cmd).json) printJson(io, run);
        else printLines(io, renderRun(run));
        if (run.state !== 'succeeded' && run.state !== 'pending_approval') throw new CliExit(EXIT_BAD);
      } finally {
        await closeApp(ctx);
      }
    });

  program.command('deny <run>')
    .description('deny a run waiting for approvals; it ends')
    .option('--reason <text>', 'recorded with the denial')
    .action(async (id: string, opts: { reason?: string }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'full');
      try {
        const run = await denyRun(ctx, cliCaller(io, ctx.config), id, opts.reason ? { reason: opts.reason } : {});
        if (globalOptions(cmd).json) printJson(io, run);
        else printLines(io, renderRun(run));
      } finally {
        await closeApp(ctx);
      }
    });
}
