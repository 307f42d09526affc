import { describe, expect, it } from 'vitest';
import type { DriftReport } from '../docker/drift.js';
import type { AlertEvent } from '../notify/events.js';
import type { Finding } from '../policy/drift-types.js';
import { notifyDrift } from './drift.js';

const at = '2025-01-01T00:00:00.000Z';
const stale: Finding = { kind: 'stale_image', severity: 'warning', stack: 'media', service: 'plex', container: 'media-plex-1', message: 'plex runs an older image.' };
const advice: Finding = { kind: 'unpinned_image', severity: 'info', stack: 'dns', service: 'pihole', message: 'pin by digest.' };

function alertsFor(report: Partial<DriftReport>): AlertEvent[] {
  const sent: AlertEvent[] = [];
  notifyDrift({ notify: (e) => sent.push(e) }, { checkedAt: at, findings: [], stacks: [], problems: [], ...report });
  return sent;
}

describe('notifyDrift', () => {
  it('raises a problem per drifted stack naming each finding, and a quiet ok per clean stack', () => {
    const sent = alertsFor({ findings: [stale, advice], stacks: [{ name: 'media', clean: false }, { name: 'dns', clean: true }] });
    expect(sent.map((e) => [e.stack, e.status, e.quiet ?? false, e.dedupeKey, e.at])).toEqual([
      ['media', 'problem', false, 'drift:media', at],
      ['dns', 'ok', true, 'drift:dns', at],
    ]);
    expect(sent[0]?.text).toBe('• stale_image plex/media-plex-1: plex runs an older image.');
  });

  it('says nothing about a stack that could not be checked', () => {
    const sent = alertsFor({ stacks: [{ name: 'media', clean: false }, { name: 'dns', clean: true }], problems: [{ stack: 'media', reason: 'bad yaml' }] });
    expect(sent.map((e) => [e.stack, e.status])).toEqual([['dns', 'ok']]);
  });

  it('when git failed, still raises drift but declares nothing clean', () => {
    const sent = alertsFor({ findings: [stale], stacks: [{ name: 'media', clean: false }, { name: 'dns', clean: true }], problems: [{ stack: '', reason: 'git status failed' }] });
    expect(sent.map((e) => [e.stack, e.status])).toEqual([['media', 'problem']]);
  });

  it('leaves findings about projects outside the stacks root to the report', () => {
    const foreign: Finding = { kind: 'unmanaged', severity: 'warning', stack: 'elsewhere', message: 'not under the root.' };
    expect(alertsFor({ findings: [foreign], stacks: [] })).toEqual([]);
  });
});
