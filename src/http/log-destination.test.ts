import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogDestination } from './log-destination.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'oresi-logdest-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('createLogDestination', () => {
  it('writes the lines of one event-loop turn together, in order, by the next turn', async () => {
    const file = join(dir, 'log');
    const dest = createLogDestination(file);
    dest.write('{"n":1}\n');
    dest.write('{"n":2}\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    await nextTurn();
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
    dest.write('{"n":3}\n');
    await nextTurn();
    expect(await readFile(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('flush writes at once; a flood is written before it can pile up', async () => {
    const file = join(dir, 'log');
    const dest = createLogDestination(file);
    dest.write('a\n');
    dest.flush();
    expect(readFileSync(file, 'utf8')).toBe('a\n');
    const big = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 100; i++) dest.write(big);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThanOrEqual(64 * 1024);
    await nextTurn();
    expect(readFileSync(file, 'utf8').length).toBe(2 + 100 * 1024);
  });

  it('what is pending is written when the process exits', () => {
    const file = join(dir, 'log');
    const dest = createLogDestination(file);
    dest.write('last words\n');
    // The module's exit handler (the one registered last for 'exit'), run as the process would.
    const onExit = process.listeners('exit').at(-1) as () => void;
    onExit();
    expect(readFileSync(file, 'utf8')).toBe('last words\n');
  });
});
