import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommandText, parseParams, tokenize } from './chat-command.js';

describe('parseCommandText', () => {
  it.each([
    ['', { verb: 'help' }],
    ['intents', { verb: 'intents' }],
    ['runs', { verb: 'runs' }],
    ['plan scale-web replicas=2', { verb: 'plan', intent: 'scale-web', params: { replicas: '2' } }],
    ['run up', { verb: 'run', intent: 'up', params: {} }],
    ['run scale replicas=3 service=web --pr o/r#12 --reason night shift', { verb: 'run', intent: 'scale', params: { replicas: '3', service: 'web' }, pr: 'o/r#12', reason: 'night shift' }],
    ['run up --reason "with quotes"', { verb: 'run', intent: 'up', params: {}, reason: 'with quotes' }],
    ['status 0b7c-11', { verb: 'status', runId: '0b7c-11' }],
    ['cancel abc', { verb: 'cancel', runId: 'abc' }],
    ['approve abc looks good', { verb: 'approve', runId: 'abc', comment: 'looks good' }],
    ['approve abc --comment ok', { verb: 'approve', runId: 'abc', comment: 'ok' }],
    ['deny abc not tonight', { verb: 'deny', runId: 'abc', reason: 'not tonight' }],
    ['rollout media', { verb: 'rollout', stack: 'media', pull: true, dryRun: false }],
    ['rollout media --no-pull --dry-run', { verb: 'rollout', stack: 'media', pull: false, dryRun: true }],
    ['rollout my_app.v2 --dry-run --reason new tag', { verb: 'rollout', stack: 'my_app.v2', pull: true, dryRun: true, reason: 'new tag' }],
    ['rollback media', { verb: 'rollback', stack: 'media' }],
    ['rollback media --to 01j9x-abc --reason bad build', { verb: 'rollback', stack: 'media', to: '01j9x-abc', reason: 'bad build' }],
  ])('%j', (text, expected) => {
    expect(parseCommandText(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['reboot', /unknown command/],
    ['run', /usage: run/],
    ['run up replicas', /key=value/],
    ['run up a=1 a=2', /given twice/],
    ['run up --force', /unknown option/],
    ['run up --pr', /needs a value/],
    ['status', /run id/],
    ['status ../../etc', /run id/],
    ['x'.repeat(1001), /longer than/],
    ['rollout', /usage: rollout <stack>/],
    ['rollback', /usage: rollback <stack>/],
    ['rollout Media', /stack name/],
    ['rollout ../etc', /stack name/],
    ['rollout -x', /stack name/],
    ['rollout a b', /one stack/],
    ['rollout media --to x', /rollout takes no --to/],
    ['rollout media --pr 1', /rollout takes no --pr/],
    ['rollout media --dry-run --dry-run', /given twice/],
    ['rollback media --to', /needs a value/],
    ['rollback media --to ../x', /rollout id/],
    ['rollback media --dry-run', /rollback takes no --dry-run/],
    ['status abc --no-pull', /status takes no --no-pull/],
  ])('%j is refused', (text, message) => {
    const r = parseCommandText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => {
      const r = parseCommandText(text);
      return r.ok || typeof r.message === 'string';
    }), { numRuns: 500 });
  });
});

describe('parseCommandText: rollout stack names', () => {
  it('accepts exactly the names the stack layout allows', () => {
    const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
    fc.assert(fc.property(fc.oneof(fc.stringMatching(NAME), fc.string({ maxLength: 70 })), (name) => {
      const r = parseCommandText(`rollout "${name.replaceAll('"', '')}"`);
      const clean = name.replaceAll('"', '');
      if (NAME.test(clean)) expect(r).toEqual({ ok: true, value: { verb: 'rollout', stack: clean, pull: true, dryRun: false } });
      else expect(r.ok).toBe(false);
    }), { numRuns: 300 });
  });
});

describe('parseParams', () => {
  it('round-trips key=value pairs whose values have no spaces', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/);
    const value = fc.stringMatching(/^[^\s]{0,12}$/);
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (params) => {
      const text = Object.entries(params).map(([k, v]) => `${k}=${v}`).join('  ');
      expect(parseParams(text)).toEqual({ ok: true, value: params });
    }));
  });

  it('keeps everything after the first = in the value', () => {
    expect(parseParams('image=reg:5000/x=y')).toEqual({ ok: true, value: { image: 'reg:5000/x=y' } });
  });

  it('does not let a key reach the prototype', () => {
    const r = parseParams('__proto__=x');
    expect(r.ok && Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect(r.ok && Object.getOwnPropertyDescriptor(r.value, '__proto__')?.value).toBe('x');
  });
});

describe('tokenize', () => {
  it('honours straight and smart double quotes', () => {
    expect(tokenize('a "b c" \u201cd e\u201d f')).toEqual(['a', 'b c', 'd e', 'f']);
  });
});
