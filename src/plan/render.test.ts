import { describe, expect, it } from 'vitest';
import { quoteForDisplay, renderPlan } from './render.js';
import type { Plan } from './types.js';

describe('quoteForDisplay', () => {
  it.each([
    ['plex', 'plex'],
    ['/opt/stacks/a b/.env', "'/opt/stacks/a b/.env'"],
    ["it's", "'it'\\''s'"],
    ['$(id)', "'$(id)'"],
    ['', "''"],
    ['plex=2', 'plex=2'],
  ])('%j → %s', (arg, shown) => {
    expect(quoteForDisplay(arg)).toBe(shown);
  });
});

describe('renderPlan', () => {
  const plan: Plan = {
    intent: 'scale',
    stack: 'stack-media',
    params: { service: 'plex', replicas: 2 },
    dialect: 'v2',
    timeoutMs: 300_000,
    hash: 'abcdef0123456789'.repeat(4),
    steps: [
      { index: 1, intent: 'db-up', stack: 'stack-db', action: 'up', argv: ['docker', 'compose', 'up'], cwd: '/opt/stacks/stack-db', description: 'bring db up' },
      { index: 2, intent: 'scale', stack: 'stack-media', action: 'scale', argv: ['docker', "it's"], cwd: '/opt/stacks/stack-media', description: 'scale plex to 2 in stack-media' },
    ],
  };

  it('shows the header, numbered steps and display-quoted argv', () => {
    const text = renderPlan(plan);
    expect(text).toContain('Plan for intent scale on stack stack-media (dry run: nothing has been executed)');
    expect(text).toContain('params:  replicas=2 service=plex');
    expect(text).toContain('plan hash: abcdef012345\n');
    expect(text).toContain('timeout: 300s');
    expect(text).toContain('1. bring db up [from db-up]');
    expect(text).toContain("2. scale plex to 2 in stack-media\n     cwd: /opt/stacks/stack-media\n     $ docker 'it'\\''s'");
    expect(text.endsWith("'it'\\''s'")).toBe(true);
    expect(text).toContain('display only');
  });
});
