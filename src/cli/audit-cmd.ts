import { join } from 'node:path';
import type { Command } from 'commander';
import { exportJsonl, formatEvent } from '../audit/export.js';
import { createSqliteAuditStore } from '../audit/sqlite-store.js';
import type { AuditStore } from '../audit/types.js';
import { formatCheckpoint, parseCheckpoint } from '../audit/verify-chain.js';
import { AppError } from '../errors.js';
import { loadCliConfig } from './context.js';
import { CliExit, EXIT_BAD, EXIT_USAGE } from './exit.js';
import { printJson, printLines, type CliIo } from './io.js';
import { globalOptions } from './options.js';

async function openStore(cmd: Command, io: CliIo): Promise<AuditStore> {
  const { config } = await loadCliConfig(cmd, io);
  return createSqliteAuditStore({ path: join(config.dataDir, 'audit.db'), now: () => Date.now(), readOnly: true });
}

export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('read and verify the hash-chained audit trail');

  audit.command('verify')
    .description('recompute the hash chain; exit 1 naming the first bad sequence number')
    .option('--checkpoint <seq:hash>', 'a checkpoint kept elsewhere, to detect truncation or a rewritten chain')
    .action(async (opts: { checkpoint?: string }, cmd: Command) => {
      let checkpoint;
      try {
        checkpoint = opts.checkpoint ? parseCheckpoint(opts.checkpoint) : undefined;
      } catch (err) {
        throw new CliExit(EXIT_USAGE, `oresi: ${err instanceof AppError ? err.message : String(err)}`);
      }
      const store = await openStore(cmd, io);
      try {
        const result = store.verify(checkpoint);
        if (globalOptions(cmd).json) printJson(io, result);
        else if (result.ok) io.stdout(`audit chain intact: ${result.count} event(s)${result.head ? `, head ${formatCheckpoint(result.head)}` : ''}\n`);
        else io.stdout(`audit chain BROKEN at seq ${result.seq}: ${result.reason}\n`);
        if (!result.ok) throw new CliExit(EXIT_BAD);
      } finally {
        store.close();
      }
    });

  audit.command('checkpoint')
    .description('print (seq, head hash); keep it somewhere oresi cannot write')
    .action(async (_o, cmd: Command) => {
      const store = await openStore(cmd, io);
      try {
        const cp = store.checkpoint();
        if (globalOptions(cmd).json) printJson(io, cp);
        else io.stdout(cp ? `${formatCheckpoint(cp)}\n` : 'the audit trail is empty\n');
      } finally {
        store.close();
      }
    });

  audit.command('tail')
    .description('the latest events')
    .option('-n, --lines <n>', 'how many', '20')
    .action(async (opts: { lines: string }, cmd: Command) => {
      const n = Number(opts.lines);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CliExit(EXIT_USAGE, 'oresi: --lines takes a whole number from 1 to 10000');
      const store = await openStore(cmd, io);
      try {
        const head = store.checkpoint();
        const events = store.list({ afterSeq: Math.max(0, (head?.seq ?? 0) - n), limit: n });
        if (globalOptions(cmd).json) printJson(io, events);
        else printLines(io, events.map(formatEvent));
      } finally {
        store.close();
      }
    });

  audit.command('export')
    .description('every event, one JSON object per line')
    .option('--jsonl', 'JSON lines (the only format, accepted for clarity)')
    .action(async (_o, cmd: Command) => {
      const store = await openStore(cmd, io);
      try {
        exportJsonl(store, (line) => io.stdout(line.endsWith('\n') ? line : line + '\n'));
      } finally {
        store.close();
      }
    });
}
