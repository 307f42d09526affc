import { z } from 'zod';
import { getJson, parseNextLink, type HttpDeps } from './http-json.js';

/**
 * Reads every page of a list endpoint. A list cut short could hide the `unlabeled` event or
 * the CHANGES_REQUESTED review that refuses the approval, so running past MAX_PAGES is a
 * failure, not a truncated answer.
 */
export const MAX_PAGES = 20;

export type PagesResult<T> = { ok: true; items: T[] } | { ok: false; reason: string };

/** GitHub style: follow `Link: <…>; rel="next"`, only ever to the API's own origin. */
export async function getLinkedPages<T extends z.ZodType>(
  deps: HttpDeps,
  firstUrl: string,
  item: T,
): Promise<PagesResult<z.infer<T>>> {
  const origin = new URL(firstUrl).origin;
  const items: z.infer<T>[] = [];
  let url: string | undefined = firstUrl;
  for (let page = 1; url !== undefined; page++) {
    if (page > MAX_PAGES) return { ok: false, reason: `${new URL(firstUrl).pathname} has more than ${MAX_PAGES} pages` };
    const res = await getJson(deps, url, z.array(item));
    if (!res.ok) return res;
    items.push(...res.data);
    const next = parseNextLink(res.headers.get('link'));
    if (next === undefined) break;
    let nextUrl: URL;
    try {
      nextUrl = new URL(next, url);
    } catch {
      return { ok: false, reason: `${new URL(firstUrl).pathname} sent an invalid next-page link` };
    }
    // The token goes with every request; a next link to another host must not receive it.
    if (nextUrl.origin !== origin) return { ok: false, reason: `${new URL(firstUrl).pathname} sent a next-page link to another host (${nextUrl.origin})` };
    url = nextUrl.toString();
  }
  return { ok: true, items };
}

/** Gitea style: `page` (1-based) + `limit`; a short page is the last one. */
export async function getNumberedPages<T extends z.ZodType>(
  deps: HttpDeps,
  baseUrl: string,
  item: T,
  limit: number,
): Promise<PagesResult<z.infer<T>>> {
  const items: z.infer<T>[] = [];
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) return { ok: false, reason: `${new URL(baseUrl).pathname} has more than ${MAX_PAGES} pages` };
    const url = new URL(baseUrl);
    url.searchParams.set('page', String(page));
    url.searchParams.set('limit', String(limit));
    const res = await getJson(deps, url.toString(), z.array(item));
    if (!res.ok) return res;
    items.push(...res.data);
    const total = Number(res.headers.get('x-total-count') ?? NaN);
    // Gitea caps `limit` at its MAX_RESPONSE_ITEMS; X-Total-Count tells us when more remain.
    const more = Number.isFinite(total) ? items.length < total && res.data.length > 0 : res.data.length >= limit;
    if (!more) break;
  }
  return { ok: true, items };
}
