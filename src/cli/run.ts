import { describeCliError } from './exit.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';

/** Runs one CLI invocation and returns its exit code; errors are printed here, once. */
export async function runCli(io: CliIo): Promise<number> {
  try {
    // `serve` resolves only once the server has shut down.
    await buildProgram(io).parseAsync(io.argv);
    return 0;
  } catch (err) {
    const { code, message } = describeCliError(err);
    if (message) io.stderr(message + '\n');
    return code;
  }
}
