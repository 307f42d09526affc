import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFloatingTag, judgeImagePin, normalizeImageRef, parseImageRef } from './drift-image-ref.js';

describe('parseImageRef', () => {
  it.each([
    ['busybox', { repository: 'busybox', tag: null, digest: null }],
    ['127.0.0.1:5000/oresi/busybox', { repository: '127.0.0.1:5000/oresi/busybox', tag: null, digest: null }],
    ['127.0.0.1:5000/oresi/busybox:1.36.1', { repository: '127.0.0.1:5000/oresi/busybox', tag: '1.36.1', digest: null }],
    ['nginx:1.25@sha256:abc', { repository: 'nginx', tag: '1.25', digest: 'sha256:abc' }],
    ['host:5000/x@sha256:abc', { repository: 'host:5000/x', tag: null, digest: 'sha256:abc' }],
  ])('%s', (ref, want) => {
    expect(parseImageRef(ref)).toEqual(want);
  });

  it('never reads a registry port as a tag, and splits what it joins', () => {
    const part = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(fc.property(part, fc.integer({ min: 1, max: 65535 }), part, fc.option(part), fc.option(part), (host, port, path, tag, digest) => {
      const repository = `${host}:${port}/${path}`;
      const ref = repository + (tag === null ? '' : `:${tag}`) + (digest === null ? '' : `@sha256:${digest}`);
      expect(parseImageRef(ref)).toEqual({ repository, tag, digest: digest === null ? null : `sha256:${digest}` });
    }));
  });
});

describe('judgeImagePin', () => {
  it.each([
    ['busybox', 'error'],
    ['busybox:latest', 'error'],
    ['postgres:16', 'warning'],
    ['postgres:16.2', 'warning'],
    ['node:20-alpine', 'warning'],
    ['traefik:v3', 'warning'],
    ['nginx:stable', 'warning'],
    ['postgres:16.2.1', null],
    ['ghcr.io/x/y:2024.05.01', null],
    ['nginx@sha256:abc', null],
    ['nginx:latest@sha256:abc', null],
  ])('%s → %s', (ref, severity) => {
    expect(judgeImagePin(ref)?.severity ?? null).toBe(severity);
  });

  it('flags an exact tag without digest only when digests are required', () => {
    expect(judgeImagePin('postgres:16.2.1', true)).toMatchObject({ severity: 'info' });
    expect(judgeImagePin('postgres:16.2.1@sha256:abc', true)).toBeNull();
  });

  it('treats short versions as floating and long ones as releases', () => {
    expect(isFloatingTag('1')).toBe(true);
    expect(isFloatingTag('1.2.3-alpine')).toBe(false);
    expect(isFloatingTag('20240501')).toBe(false);
  });
});

describe('normalizeImageRef', () => {
  it('makes an untagged ref equal to its :latest form', () => {
    expect(normalizeImageRef('busybox')).toBe(normalizeImageRef('busybox:latest'));
    expect(normalizeImageRef('a:1')).not.toBe(normalizeImageRef('a:2'));
  });
});
