import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { parseNextLink, type HttpDeps } from './http-json.js';
import { getLinkedPages, MAX_PAGES } from './paginate.js';

/** A fetch that answers from a table and records what was asked (header handling only; the e2e tests use real servers). */
function tableFetch(pages: Record<string, { body: unknown; link?: string }>) {
  const asked: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    asked.push(url);
    const page = pages[url];
    if (!page) return new Response('{}', { status: 404 });
    return new Response(JSON.stringify(page.body), { status: 200, headers: page.link ? { link: page.link } : {} });
  }) as typeof fetch;
  return { asked, deps: { fetch: fetchImpl, timeoutMs: 1000, headers: { Authorization: 'Bearer secret' } } satisfies HttpDeps };
}

describe('parseNextLink', () => {
  it('finds rel="next" among other relations', () => {
    const h = '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"';
    expect(parseNextLink(h)).toBe('https://api.github.com/x?page=2');
    expect(parseNextLink('<https://a/x?page=1>; rel="prev", <https://a/x?page=1>; rel="first"')).toBeUndefined();
    expect(parseNextLink('<https://a/n>; rel=next')).toBe('https://a/n');
    expect(parseNextLink(null)).toBeUndefined();
  });

  it('never throws on arbitrary headers', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (h) => {
      const r = parseNextLink(h);
      expect(r === undefined || typeof r === 'string').toBe(true);
    }));
  });
});

describe('getLinkedPages', () => {
  const item = z.object({ n: z.number() });

  it('follows next links on the same origin and concatenates pages', async () => {
    const { asked, deps } = tableFetch({
      'https://api.example/x?page=1': { body: [{ n: 1 }], link: '<https://api.example/x?page=2>; rel="next"' },
      'https://api.example/x?page=2': { body: [{ n: 2 }] },
    });
    expect(await getLinkedPages(deps, 'https://api.example/x?page=1', item)).toEqual({ ok: true, items: [{ n: 1 }, { n: 2 }] });
    expect(asked).toHaveLength(2);
  });

  it('refuses a next link to another host instead of sending it the token', async () => {
    const { asked, deps } = tableFetch({
      'https://api.example/x': { body: [{ n: 1 }], link: '<https://evil.example/x?page=2>; rel="next"' },
    });
    const r = await getLinkedPages(deps, 'https://api.example/x', item);
    expect(r).toEqual({ ok: false, reason: '/x sent a next-page link to another host (https://evil.example)' });
    expect(asked).toEqual(['https://api.example/x']);
  });

  it('fails rather than truncating an endless list', async () => {
    const pages: Record<string, { body: unknown; link?: string }> = {};
    for (let i = 1; i <= MAX_PAGES + 1; i++) pages[`https://api.example/x?page=${i}`] = { body: [{ n: i }], link: `<https://api.example/x?page=${i + 1}>; rel="next"` };
    const { deps } = tableFetch(pages);
    expect(await getLinkedPages(deps, 'https://api.example/x?page=1', item)).toEqual({ ok: false, reason: `/x has more than ${MAX_PAGES} pages` });
  });

  it('fails on an item of the wrong shape', async () => {
    const { deps } = tableFetch({ 'https://api.example/x': { body: [{ n: 'one' }] } });
    const r = await getLinkedPages(deps, 'https://api.example/x', item);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/^GET \/x answered with an unexpected shape at 0.n/) });
  });
});
