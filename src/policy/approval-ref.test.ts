import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrRef, type ParsePrRefOptions } from './approval-ref.js';

const gh: ParsePrRefOptions = { provider: 'github', repo: 'acme/infra', hosts: ['github.com'] };
const gt: ParsePrRefOptions = { provider: 'gitea', repo: 'acme/infra', hosts: ['git.example:3000'] };

describe('parsePrRef', () => {
  it.each([
    ['#12', gh, { repo: 'acme/infra', number: 12 }],
    ['acme/infra#7', gh, { repo: 'acme/infra', number: 7 }],
    ['ACME/Infra#7', gh, { repo: 'ACME/Infra', number: 7 }],
    ['  #3 ', gh, { repo: 'acme/infra', number: 3 }],
    ['https://github.com/acme/infra/pull/42', gh, { repo: 'acme/infra', number: 42 }],
    ['https://github.com/acme/infra/pull/42/files', gh, { repo: 'acme/infra', number: 42 }],
    ['http://git.example:3000/acme/infra/pulls/9', gt, { repo: 'acme/infra', number: 9 }],
  ])('accepts %s', (input, opts, ref) => {
    expect(parsePrRef(input, opts)).toEqual({ ok: true, ref });
  });

  it.each([
    ['12', gh, /"12" is not a PR reference; use #123, acme\/infra#123 or https:\/\/github.com\/owner\/repo\/pull\/123/],
    ['other/repo#1', gh, /PR other\/repo#1 is not in acme\/infra, the repository this approval is bound to/],
    ['https://github.com/other/repo/pull/1', gh, /not in acme\/infra/],
    ['https://evil.example/acme/infra/pull/1', gh, /host evil.example is not a github host oresi checks \(github.com\)/],
    ['https://github.com/acme/infra/pulls/1', gh, /path must be \/owner\/repo\/pull\/N/],
    ['https://git.example:3000/acme/infra/pull/1', gt, /path must be \/owner\/repo\/pulls\/N/],
    ['https://github.com/acme/infra/issues/1', gh, /path must be/],
    ['https://github.com/acme/infra/pull/1?x=1', gh, /query or fragment/],
    ['https://u:p@github.com/acme/infra/pull/1', gh, /credentials/],
    ['ftp://github.com/acme/infra/pull/1', gh, /must be http\(s\)/],
    ['#0', gh, /out of range/],
    ['#99999999999', gh, /out of range|not a PR reference/],
    ['acme/infra#1; rm -rf /', gh, /not a PR reference/],
    ['', gh, /empty/],
  ])('refuses %s', (input, opts, reason) => {
    const r = parsePrRef(input, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('needs a repository for #N when none is bound', () => {
    const r = parsePrRef('#5', { provider: 'github', hosts: [] });
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/names no repository/) });
    expect(parsePrRef('a/b#5', { provider: 'github', hosts: [] })).toEqual({ ok: true, ref: { repo: 'a/b', number: 5 } });
  });

  it('never throws and only accepts refs that name the bound repo with a positive number', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(gh, gt), (input, opts) => {
      const r = parsePrRef(input, opts);
      if (r.ok) {
        expect(r.ref.repo.toLowerCase()).toBe('acme/infra');
        expect(Number.isSafeInteger(r.ref.number) && r.ref.number >= 1).toBe(true);
      } else {
        expect(r.reason.length).toBeGreaterThan(0);
        expect(r.reason.length).toBeLessThan(400);
      }
    }));
  });

  it('round-trips every well-formed short reference', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2_147_483_647 }), fc.boolean(), (n, qualified) => {
      const r = parsePrRef(qualified ? `acme/infra#${n}` : `#${n}`, gh);
      expect(r).toEqual({ ok: true, ref: { repo: 'acme/infra', number: n } });
    }));
  });
});
