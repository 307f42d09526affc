import { describe, expect, it } from 'vitest';
import { createTurnBatch } from './turn-batch.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('createTurnBatch', () => {
  it('holds work until the end of the turn, then runs it all in order', async () => {
    const errors: unknown[] = [];
    const later = createTurnBatch((err) => errors.push(err));
    const ran: number[] = [];
    later(() => ran.push(1));
    later(() => ran.push(2));
    later(() => ran.push(3));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
    expect(errors).toEqual([]);
  });

  it('a throwing callback does not stop the rest; its error is reported', async () => {
    const errors: unknown[] = [];
    const later = createTurnBatch((err) => errors.push(err));
    const ran: string[] = [];
    later(() => ran.push('a'));
    later(() => { throw new Error('boom'); });
    later(() => ran.push('c'));
    await nextTurn();
    expect(ran).toEqual(['a', 'c']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('boom');
  });

  it('work added while a batch runs waits for the next turn', async () => {
    const later = createTurnBatch(() => {});
    const ran: string[] = [];
    later(() => {
      ran.push('first');
      later(() => ran.push('second'));
    });
    await nextTurn();
    expect(ran).toEqual(['first']);
    await nextTurn();
    expect(ran).toEqual(['first', 'second']);
  });
});
