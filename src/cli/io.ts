/** What the CLI needs from the process; main.ts supplies the real ones, tests supply buffers. */
export interface CliIo {
  argv: string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdoutIsTTY: boolean;
  /** Writes to stdout and resolves once the pipe can take more (backpressure for streams). */
  stdoutAsync: (text: string) => Promise<void>;
  /** Resolves with the signal name on SIGTERM or SIGINT (for `serve`). */
  waitForShutdown: () => Promise<string>;
  /** Calls `handler` on every SIGHUP (for `serve`: reload intents and secrets). */
  onReloadSignal?: (handler: () => void) => void;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + '\n');
}

export function printLines(io: CliIo, lines: readonly string[]): void {
  if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
}

/** Left-aligned columns for human tables. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}
