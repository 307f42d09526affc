import { AppError } from '../errors.js';

/** Position in the newest-first runs listing: the last row of the previous page. */
export interface RunCursor {
  createdAt: string;
  id: string;
}

export function encodeRunCursor(cursor: RunCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** Cursors come back from clients, so anything malformed is their error, not ours. */
export function decodeRunCursor(text: string): RunCursor {
  const decoded = /^[A-Za-z0-9_-]{1,1400}$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : '';
  // createdAt is an ISO timestamp and never holds '|'; the id may, so split on the first one.
  const bar = decoded.indexOf('|');
  if (bar <= 0 || bar === decoded.length - 1) {
    throw new AppError('E_BAD_REQUEST', 'invalid runs cursor; pass nextCursor from a previous page unchanged');
  }
  return { createdAt: decoded.slice(0, bar), id: decoded.slice(bar + 1) };
}
