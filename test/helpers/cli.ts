import { Readable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process with captured output and a non-TTY stdin. */
export async function cli(args: string[], opts: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string } = {}): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    argv: ['node', 'oresi', ...args],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST, ORESI_EXAMPLE_IMAGE: process.env.ORESI_EXAMPLE_IMAGE, ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    stdin: Readable.from([opts.stdin ?? '']),
    stdoutIsTTY: false,
    stdoutAsync: async (t) => { stdout += t; },
    waitForShutdown: () => new Promise(() => {}),
  };
  const code = await runCli(io);
  return { code, stdout, stderr };
}
