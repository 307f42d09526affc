import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { adminCaller, countingSys, makeTestApp, type TestApp } from '../../test/helpers/test-app.js';
import { requestRun } from './runs.js';

const COMPOSE = 'services:\n  plex:\n    image: busybox\n  web:\n    image: busybox\n';
const INTENT = `apiVersion: oresi.dev/v1
kind: Intent
name: scale-any
stack: { param: stack }
params:
  stack: { type: stack, default: stack-media }
  service: { type: service, default: plex }
  replicas: { type: integer, min: 0, max: 4, default: 1 }
  mode: { type: enum, values: [fast, slow], default: fast }
steps:
  - action: scale
    service: { param: service }
    replicas: { param: replicas }
`;

const nasty = fc.constantFrom(
  '$(id)', '`id`', 'a;b', 'plex;rm -rf /', 'a\nb', 'plex\n', ' plex', 'plex ', '-x', '--project-directory=/',
  '../x', '..', 'рlex', 'PLEX', 'plex&&id', '|id', '>/etc/passwd', '${HOME}', '', '-', '--', '1e3', '0x2', '2.5', ' 2', '5', '-1', '99999999999',
);
const anyText = fc.oneof(nasty, fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const ALLOWED: Record<string, (v: unknown) => boolean> = {
  stack: (v) => v === 'stack-media' || v === 'stack-web',
  service: (v) => v === 'plex' || v === 'web',
  replicas: (v) => typeof v === 'string' && /^[0-4]$/.test(v),
  mode: (v) => v === 'fast' || v === 'slow',
};

describe('requestRun rejects caller input before any spawn', () => {
  let app: TestApp;
  let sys: ReturnType<typeof countingSys>;

  beforeAll(async () => {
    app = await makeTestApp({
      stacks: { 'stack-media': COMPOSE, 'stack-web': COMPOSE },
      intents: { 'scale-any.yaml': INTENT },
      sys: (real) => (sys = countingSys(real)),
    });
  });
  afterAll(async () => app?.close());

  it('never spawns for arbitrary strings in any caller-supplied field', async () => {
    sys.spawns.length = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('stack', 'service', 'replicas', 'mode'), anyText, async (field, value) => {
        fc.pre(!ALLOWED[field]!(value));
        const err = await requestRun(app.ctx, adminCaller, { intent: 'scale-any', params: { [field]: value } }).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(AppError);
        expect(['E_PARAM_INVALID', 'E_SERVICE_UNKNOWN', 'E_STACK_NOT_FOUND']).toContain((err as AppError).code);
      }),
      { numRuns: 300 },
    );
    expect(sys.spawns).toEqual([]);
  });

  it('never spawns for undeclared parameters or a non-object params value', async () => {
    sys.spawns.length = 0;
    for (const params of [{ project: 'x' }, { '--file': '/etc/passwd' }, ['plex'], 'plex', 42, { service: ['plex'] }, { replicas: 2.5 }]) {
      await expect(requestRun(app.ctx, adminCaller, { intent: 'scale-any', params })).rejects.toMatchObject({ code: 'E_PARAM_INVALID' });
    }
    expect(sys.spawns).toEqual([]);
  });

  it('unknown intents are 404s and audited as rejections', async () => {
    await expect(requestRun(app.ctx, adminCaller, { intent: 'nope' })).rejects.toMatchObject({ code: 'E_INTENT_NOT_FOUND' });
    const last = app.ctx.audit.list({ limit: 500 }).at(-1);
    expect(last?.type).toBe('run.rejected');
    expect(last?.data).toMatchObject({ intent: 'nope', code: 'E_INTENT_NOT_FOUND' });
  });
});
