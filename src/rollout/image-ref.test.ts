import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRollbackTag, choosePin, repositoryOf, shortId } from './image-ref.js';

// Docker's reference grammar (distribution/reference), for a local name with a tag.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const LOCAL_TAGGED = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*:[\\w][\\w.-]{0,127}$`);
const stackName = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,62}$/);
const serviceName = fc.stringMatching(/^[a-zA-Z0-9._-]{1,80}$/);

describe('buildRollbackTag', () => {
  it('keeps clean names readable', () => {
    expect(buildRollbackTag('media', 'plex', '0f3c2a9e-1b2c-4d5e-8f90-123456789abc')).toBe('oresi-rollback/media-plex:0f3c2a9e1b2c');
  });

  it('is a valid docker reference for any stack and compose service name', () => {
    fc.assert(fc.property(stackName, serviceName, fc.uuid(), (stack, service, id) => {
      const tag = buildRollbackTag(stack, service, id);
      expect(tag).toMatch(LOCAL_TAGGED);
      expect(tag.length).toBeLessThanOrEqual(255);
    }));
  });

  it('gives two services of one stack different tags', () => {
    fc.assert(fc.property(stackName, serviceName, serviceName, (stack, a, b) => {
      fc.pre(a !== b);
      expect(buildRollbackTag(stack, a, 'abc')).not.toBe(buildRollbackTag(stack, b, 'abc'));
    }));
  });

  it('shortens ids to 12 alphanumerics', () => {
    expect(shortId('ab-cd-ef-0123456789')).toBe('abcdef012345');
  });
});

describe('repositoryOf', () => {
  it.each([
    ['127.0.0.1:5000/oresi/app:1.0', '127.0.0.1:5000/oresi/app'],
    ['127.0.0.1:5000/oresi/app', '127.0.0.1:5000/oresi/app'],
    ['127.0.0.1:5000/oresi/app@sha256:abc', '127.0.0.1:5000/oresi/app'],
    ['nginx:1.25', 'nginx'],
    ['docker.io/library/nginx:1.25', 'nginx'],
    ['library/nginx', 'nginx'],
    ['ghcr.io/owner/app:v1@sha256:abc', 'ghcr.io/owner/app'],
  ])('%s → %s', (ref, repo) => {
    expect(repositoryOf(ref)).toBe(repo);
  });
});

describe('choosePin', () => {
  const base = { imageRef: '127.0.0.1:5000/t/app:1.0', rollbackTag: 'oresi-rollback/s-app:abc' };
  it('prefers the digest of the same repository', () => {
    const d = '127.0.0.1:5000/t/app@sha256:' + 'a'.repeat(64);
    expect(choosePin({ ...base, repoDigests: ['127.0.0.1:5000/other@sha256:' + 'b'.repeat(64), d] })).toBe(d);
  });
  it('falls back to the rollback tag without a matching digest', () => {
    expect(choosePin({ ...base, repoDigests: ['127.0.0.1:5000/other@sha256:' + 'b'.repeat(64)] })).toBe(base.rollbackTag);
    expect(choosePin({ ...base, imageRef: 'sha256:' + 'c'.repeat(64), repoDigests: [] })).toBe(base.rollbackTag);
  });
});
