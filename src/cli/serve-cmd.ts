import type { Command } from 'commander';
import { closeApp } from '../app.js';
import { expirePendingRuns } from '../commands/approve.js';
import { reloadFromDisk } from '../commands/reload.js';
import { createScheduler, nodeTimer } from '../schedule/scheduler.js';
import { generateApiKey } from '../http/api-keys.js';
import { parseListen } from '../config/network.js';
import { createServer, stopServer } from '../http/server.js';
import { AppError } from '../errors.js';
import { VERSION } from '../version.js';
import { openApp } from './context.js';
import type { CliIo } from './io.js';

const SHUTDOWN_GRACE_MS = 30_000;

export function registerServeCommand(program: Command, io: CliIo): void {
  program.command('serve')
    .description('run the HTTP API (loopback by default; ORESI_LISTEN or server.listen to change)')
    .option('--demo', 'print a one-time admin key for this process only (used by npm start)')
    .action(async (opts: { demo?: boolean }, cmd: Command) => {
      const ctx = await openApp(cmd, io, 'full');
      const demoKey = opts.demo ? generateApiKey() : undefined;
      const app = await createServer(ctx, { logger: { level: io.env.ORESI_LOG_LEVEL ?? 'info' }, version: VERSION, ...(demoKey ? { demoKey } : {}) });
      // Built before listening: a schedule naming an unknown intent stops start-up.
      const scheduler = createScheduler({ ctx, clock: ctx.sys.now, setTimer: nodeTimer });
      const listen = parseListen(ctx.config.server.listen);
      // loadConfig validated it already; this only narrows the type.
      if (!listen.ok) throw new AppError('E_CONFIG_INVALID', `server.listen: ${listen.message}`);
      const { host, port } = listen.value;
      const address = await app.listen({ host, port });
      io.stderr(`oresi ${VERSION} listening on ${address} (${ctx.catalog.list().length} intents, stacks in ${ctx.config.stacksRoot})\n`);
      if (demoKey) {
        io.stderr(`demo admin key (valid until this process stops): ${demoKey}\n`);
        io.stderr(`try: curl -s -H 'Authorization: Bearer ${demoKey}' ${address}/v1/intents\n`);
      }
      // Runs waiting for approvals past approvals.pendingTtlSeconds end as `expired`.
      const sweep = setInterval(() => {
        expirePendingRuns(ctx).catch((err: unknown) => ctx.logger.error({ err: String(err) }, 'could not expire pending runs'));
      }, 60_000);
      sweep.unref();
      scheduler.start();
      io.onReloadSignal?.(() => {
        reloadFromDisk(ctx, 'SIGHUP').then(
          (r) => io.stderr(r.ok ? `oresi: reloaded: ${r.intents} intents${r.changed ? ' (changed)' : ''}\n` : `oresi: reload failed, previous intents kept: ${r.reason}\n`),
          (err: unknown) => io.stderr(`oresi: reload failed: ${String(err)}\n`),
        );
      });
      const signal = await io.waitForShutdown();
      clearInterval(sweep);
      scheduler.stop();
      io.stderr(`oresi: ${signal}: no longer accepting requests; waiting up to ${SHUTDOWN_GRACE_MS / 1000}s for running steps\n`);
      await stopServer(app, ctx, SHUTDOWN_GRACE_MS);
      await closeApp(ctx);
    });
}
