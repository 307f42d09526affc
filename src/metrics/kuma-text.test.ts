import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderKumaMetrics, type KumaMonitor } from '../../test/stand-ins/kuma.js';
import { countKumaStatuses, sampleValue } from './kuma-text.js';

describe('countKumaStatuses', () => {
  it('maps 1 → green, 0 → red, 2 and 3 → amber, and ignores other metrics', () => {
    const text = renderKumaMetrics([
      { name: 'plex', status: 1 }, { name: 'sonarr', status: 1 }, { name: 'nas', status: 0 },
      { name: 'new', status: 2 }, { name: 'patching', status: 3 },
    ]);
    expect(countKumaStatuses(text)).toEqual({ green: 2, amber: 2, red: 1 });
  });

  it('is not fooled by braces, quotes or the metric name inside label values', () => {
    const text = [
      'monitor_status{monitor_name="a} 0 monitor_status{x=\\"1\\"}",monitor_url="https://x/?q={1}"} 1',
      'monitor_status_other{monitor_name="b"} 0',
      'monitor_status{monitor_name="c"} 0 1700000000000',
      '# monitor_status{monitor_name="d"} 0',
      'monitor_status{monitor_name="unterminated} 0',
      'monitor_status{monitor_name="e"} NaN',
      'monitor_status 2',
    ].join('\n');
    expect(countKumaStatuses(text)).toEqual({ green: 1, amber: 1, red: 1 });
  });

  it('property: counts what was rendered, whatever the monitor names', () => {
    const monitor = fc.record({ name: fc.string({ maxLength: 40 }), status: fc.constantFrom(0, 1, 2, 3), url: fc.string({ maxLength: 40 }) }) as fc.Arbitrary<KumaMonitor>;
    fc.assert(fc.property(fc.array(monitor, { maxLength: 30 }), (monitors) => {
      const expected = {
        green: monitors.filter((m) => m.status === 1).length,
        amber: monitors.filter((m) => m.status === 2 || m.status === 3).length,
        red: monitors.filter((m) => m.status === 0).length,
      };
      expect(countKumaStatuses(renderKumaMetrics(monitors))).toEqual(expected);
    }));
  });

  it('sampleValue reads one sample', () => {
    expect(sampleValue('m{a="b"} 3', 'm')).toBe(3);
    expect(sampleValue('m 1.5e2', 'm')).toBe(150);
    expect(sampleValue('mx 1', 'm')).toBeNull();
  });
});
