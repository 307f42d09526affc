import { describe, expect, it } from 'vitest';
import type { ComposeContainer } from '../docker/engine-types.js';
import type { StackFacts } from '../plan/types.js';
import type { Sys } from '../sys/sys.js';
import { assessServices, waitForHealth } from './health.js';

function container(fields: Partial<ComposeContainer>): ComposeContainer {
  return {
    id: 'c1', name: 's-web-1', project: 's', service: 'web', number: 1, state: 'running', status: 'Up 1 second',
    health: null, image: 'app:1', imageId: 'sha256:1', created: 0, labels: {}, configHash: null,
    composeVersion: null, workingDir: null, configFiles: [], ...fields,
  };
}

describe('assessServices', () => {
  it.each<[string, Partial<ComposeContainer>[], 'ok' | 'pending' | 'failed']>([
    ['running without healthcheck', [{}], 'ok'],
    ['healthy', [{ health: 'healthy' }], 'ok'],
    ['health starting', [{ health: 'starting' }], 'pending'],
    ['created, not started', [{ state: 'created' }], 'pending'],
    ['no container', [], 'pending'],
    ['only a one-off container', [{ labels: { 'com.docker.compose.oneoff': 'True' } }], 'pending'],
    ['exited', [{ state: 'exited', status: 'Exited (1) 2 seconds ago' }], 'failed'],
    ['restarting', [{ state: 'restarting' }], 'failed'],
    ['unhealthy', [{ health: 'unhealthy' }], 'failed'],
    ['one replica of two exited', [{}, { id: 'c2', state: 'exited' }], 'failed'],
    ['other project only', [{ project: 'other' }], 'pending'],
  ])('%s → %s', (_name, list, status) => {
    const [web] = assessServices(list.map(container), 's', ['web']);
    expect(web?.status).toBe(status);
  });

  it('lists the image ids a service runs', () => {
    const [web] = assessServices([container({}), container({ id: 'c2', imageId: 'sha256:2' })], 's', ['web']);
    expect(web?.imageIds).toEqual(['sha256:1', 'sha256:2']);
  });
});

describe('waitForHealth', () => {
  const facts = { name: 's' } as StackFacts;
  let clock = 0;
  const sys = { monotonic: () => clock } as Sys;
  const engineOf = (frames: ComposeContainer[][]) => {
    let i = 0;
    return {
      listComposeContainers: async () => {
        clock += 10;
        const f = frames[Math.min(i, frames.length - 1)] ?? [];
        i += 1;
        return f;
      },
      inspectImage: async () => null,
    };
  };

  it('waits through starting until healthy', async () => {
    const engine = engineOf([[container({ health: 'starting' })], [container({ health: 'starting' })], [container({ health: 'healthy' })]]);
    const r = await waitForHealth({ sys, engine, facts }, ['web'], { healthTimeoutMs: 10_000, pollMs: 1 });
    expect(r).toMatchObject({ healthy: true, timedOut: false });
  });

  it('stops at the first exit', async () => {
    const engine = engineOf([[container({ health: 'starting' })], [container({ state: 'exited' })], [container({ health: 'healthy' })]]);
    const r = await waitForHealth({ sys, engine, facts }, ['web'], { healthTimeoutMs: 10_000, pollMs: 1 });
    expect(r.healthy).toBe(false);
    expect(r.timedOut).toBe(false);
    expect(r.services[0]?.status).toBe('failed');
  });

  it('times out on a service that never starts', async () => {
    const engine = engineOf([[]]);
    const r = await waitForHealth({ sys, engine, facts }, ['web'], { healthTimeoutMs: 50, pollMs: 1 });
    expect(r).toMatchObject({ healthy: false, timedOut: true });
  });

  it('requires the healthy state to hold for stableMs', async () => {
    const engine = engineOf([[container({})], [container({ state: 'restarting' })], [container({})]]);
    const r = await waitForHealth({ sys, engine, facts }, ['web'], { healthTimeoutMs: 10_000, pollMs: 1, stableMs: 15 });
    expect(r.healthy).toBe(false);
    expect(r.services[0]?.detail).toContain('restarting');
  });

  it('reports cancellation', async () => {
    const ac = new AbortController();
    const engine = { ...engineOf([[container({ health: 'starting' })]]) };
    const list = engine.listComposeContainers;
    engine.listComposeContainers = async () => {
      ac.abort();
      return list();
    };
    const r = await waitForHealth({ sys, engine, facts, signal: ac.signal }, ['web'], { healthTimeoutMs: 10_000, pollMs: 1000 });
    expect(r.cancelled).toBe(true);
  });
});
