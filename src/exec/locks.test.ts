import { describe, expect, it } from 'vitest';
import { acquireStacks, createStackLocks } from './locks.js';

describe('createStackLocks', () => {
  it('answers busy with the holder instead of waiting', () => {
    const locks = createStackLocks();
    const a = locks.tryAcquire('media', 'run-1');
    expect(a.acquired).toBe(true);
    expect(locks.tryAcquire('media', 'run-2')).toEqual({ acquired: false, holder: 'run-1' });
    expect(locks.holder('media')).toBe('run-1');
    if (a.acquired) a.release();
    expect(locks.holder('media')).toBeUndefined();
    expect(locks.tryAcquire('media', 'run-2').acquired).toBe(true);
  });

  it('a stale second release does not free a lock taken since', () => {
    const locks = createStackLocks();
    const a = locks.tryAcquire('media', 'run-1');
    if (!a.acquired) throw new Error('expected lock');
    a.release();
    expect(locks.tryAcquire('media', 'run-2').acquired).toBe(true);
    a.release();
    expect(locks.holder('media')).toBe('run-2');
  });
});

describe('acquireStacks', () => {
  it('takes every stack or none', () => {
    const locks = createStackLocks();
    const other = locks.tryAcquire('db', 'run-1');
    expect(other.acquired).toBe(true);
    expect(acquireStacks(locks, ['web', 'db', 'cache'], 'run-2')).toEqual({ acquired: false, holder: 'run-1' });
    // 'cache' sorts before 'db' and was taken first: it must have been given back.
    expect(locks.holder('cache')).toBeUndefined();
    expect(locks.holder('web')).toBeUndefined();
    expect(locks.holder('db')).toBe('run-1');
  });

  it('releases all it took, and tolerates duplicates', () => {
    const locks = createStackLocks();
    const all = acquireStacks(locks, ['web', 'db', 'web'], 'run-3');
    expect(all.acquired).toBe(true);
    expect([locks.holder('db'), locks.holder('web')]).toEqual(['run-3', 'run-3']);
    if (all.acquired) all.release();
    expect([locks.holder('db'), locks.holder('web')]).toEqual([undefined, undefined]);
  });
});
