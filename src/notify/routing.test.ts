import { describe, expect, it } from 'vitest';
import type { RouteConfig } from '../config/notify-schema.js';
import { routeEvent } from './routing.js';

const routes: RouteConfig[] = [
  { events: ['run.failed', 'run.rolled_back'], sinks: ['discord', 'ntfy'] },
  { events: ['run.succeeded', 'run.failed'], sinks: ['kuma'], stacks: ['media'] },
  { events: ['run.started', 'run.succeeded', 'run.failed'], sinks: ['hc', 'discord'], intents: ['backup-*'] },
  { events: ['security.event'], sinks: ['ntfy'] },
];

describe('routeEvent', () => {
  it.each([
    [{ kind: 'run.failed', stack: 'media', intent: 'restart-plex' }, ['discord', 'ntfy', 'kuma']],
    [{ kind: 'run.failed', stack: 'web', intent: 'backup-db' }, ['discord', 'ntfy', 'hc']],
    [{ kind: 'run.succeeded', stack: 'web', intent: 'restart-web' }, []],
    [{ kind: 'run.started', stack: 'media', intent: 'backup-media' }, ['hc', 'discord']],
    [{ kind: 'security.event' }, ['ntfy']],
    // A filtered route never catches an alert that lacks the attribute.
    [{ kind: 'run.succeeded' }, []],
    [{ kind: 'drift.found', stack: 'media' }, []],
  ] as const)('%j → %j', (event, expected) => {
    expect(routeEvent(event, routes)).toEqual(expected);
  });
});
