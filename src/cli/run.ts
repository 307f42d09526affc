import { describeCliError } from './exit.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';
import { globalOptions } from './options.js';
import { withSettingOrigin } from './setting-origin.js';

/** Runs one CLI invocation and returns its exit code; errors are printed here, once. */
export async function runCli(io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    // `serve` resolves only once the server has shut down.
    await program.parseAsync(io.argv);
    return 0;
  } catch (err) {
    const lookup = { flag: globalOptions(program).config, env: io.env, cwd: io.cwd };
    const { code, message } = describeCliError(await withSettingOrigin(err, lookup));
    if (message) io.stderr(message + '\n');
    return code;
  }
}
