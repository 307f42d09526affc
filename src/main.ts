#!/usr/bin/env node
import { EXIT_CLOSED_PIPE, isClosedPipe } from './cli/exit.js';
import { runCli } from './cli/run.js';

// A reader that stops early (`oresi audit export | head`) ends every command at once and
// quietly, as SIGPIPE ends `git log | head`; node ignores SIGPIPE, so the write errors instead.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: unknown) => {
    if (isClosedPipe(err)) process.exit(EXIT_CLOSED_PIPE);
    throw err;
  });
}

/** The process edge: the only place that reads process.argv/env or calls process.exit. */
const io = {
  argv: process.argv,
  env: { ...process.env },
  cwd: process.cwd(),
  stdout: (t: string) => void process.stdout.write(t),
  stderr: (t: string) => void process.stderr.write(t),
  stdin: process.stdin,
  stdoutIsTTY: process.stdout.isTTY === true,
  stdoutAsync: (t: string) => new Promise<void>((resolve) => {
    if (process.stdout.write(t)) resolve();
    else process.stdout.once('drain', resolve);
  }),
  onReloadSignal: (handler: () => void) => void process.on('SIGHUP', handler),
  waitForShutdown: () => new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  }),
};

const flush = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));

runCli(io)
  .catch((err: unknown) => {
    process.stderr.write(`oresi: fatal: ${String(err)}\n`);
    return 2;
  })
  .then(async (code) => {
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    // Exit explicitly: keep-alive sockets to the Docker engine must not hold a finished command open.
    process.exit(code);
  });
