import { describe, expect, it } from 'vitest';
import { describeBed, probeBed, registryHasImage, splitImageRef } from './bed-probe.js';
import { BED, TEST_IMAGE, describeEngine } from './engine.js';

describe('splitImageRef', () => {
  it.each([
    ['127.0.0.1:5000/oresi/busybox:1.36.1', { registry: '127.0.0.1:5000', repo: 'oresi/busybox', tag: '1.36.1' }],
    ['localhost/x', { registry: 'localhost', repo: 'x', tag: 'latest' }],
    ['busybox:1.36.1', undefined],
    ['library/busybox:1', undefined],
  ])('%s', (ref, expected) => {
    expect(splitImageRef(ref)).toEqual(expected);
  });
});

describe('probeBed', () => {
  it('reports an engine that does not answer as missing', async () => {
    const status = await probeBed({ image: TEST_IMAGE, dockerHost: 'unix:///nonexistent/docker.sock' });
    expect(status.engine).toBe(false);
    expect(status.missing.join()).toContain('no Docker engine answers /_ping at unix:///nonexistent/docker.sock');
  });

  it('names scripts/testbed.sh and ORESI_EXAMPLE_IMAGE in its one line', () => {
    const line = describeBed({ engine: true, compose: 'v1', image: false, missing: ['the registry does not serve x'] });
    expect(line).toMatch(/^engine test bed incomplete \(the registry does not serve x\); .*bash scripts\/testbed\.sh.*ORESI_EXAMPLE_IMAGE/);
    expect(line).not.toContain('\n');
  });
});

// The regression: an engine without the bed's image counted as a bed, and 27 tests failed.
describeEngine('probeBed on a live engine', () => {
  it('reports "bed incomplete", not "engine present", for an image the registry does not have', async () => {
    const missing = TEST_IMAGE.replace(/:[^:/]+$/, ':no-such-tag-0');
    const status = await probeBed({ image: missing, dockerHost: process.env.DOCKER_HOST });
    expect(status.engine).toBe(true);
    expect(status.image).toBe(false);
    expect(status.missing).toEqual([`the registry does not serve ${missing}`]);
  });

  it('finds the whole bed for the test image', async () => {
    expect(await registryHasImage(TEST_IMAGE)).toBe(true);
    expect(BED.missing).toEqual([]);
  });
});
