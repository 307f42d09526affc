import { StringDecoder } from 'node:string_decoder';

/**
 * Collects one child stream up to a byte cap: the first half of the cap and the last half, with
 * the bytes between them counted and dropped. The start says what the command set out to do, the
 * end says how it failed; the middle of a huge log is rarely what an operator needs at 2 a.m.
 * The caller keeps reading past the cap, because a child whose pipe is not drained blocks.
 */
export interface OutputCapture {
  /** Feeds a raw chunk; returns the decoded part of the head kept so far (may be ''). */
  push(chunk: Buffer): string;
  /** Head and tail, joined by a marker naming how much was left out when anything was. */
  finish(): { text: string; truncated: boolean };
}

export function createOutputCapture(maxBytes: number): OutputCapture {
  const cap = Math.max(0, Math.floor(maxBytes));
  const headCap = Math.ceil(cap / 2);
  const tailCap = cap - headCap;
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let totalBytes = 0;
  // Only for live chunks: it carries a multi-byte character split across reads.
  const decoder = new StringDecoder('utf8');

  function keepTail(part: Buffer): void {
    if (tailCap === 0 || part.length === 0) return;
    tail.push(part);
    tailBytes += part.length;
    // Drop whole chunks from the front while the rest still covers the tail; cut at the end.
    while (tail.length > 1 && tailBytes - (tail[0]?.length ?? 0) >= tailCap) {
      tailBytes -= tail.shift()?.length ?? 0;
    }
    if (tailBytes > tailCap * 4) {
      const all = Buffer.concat(tail, tailBytes);
      tail = [all.subarray(all.length - tailCap)];
      tailBytes = tailCap;
    }
  }

  return {
    push(chunk) {
      totalBytes += chunk.length;
      const room = headCap - headBytes;
      if (room <= 0) {
        keepTail(chunk);
        return '';
      }
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      head.push(part);
      headBytes += part.length;
      keepTail(chunk.subarray(part.length));
      return decoder.write(part);
    },
    finish() {
      const first = Buffer.concat(head, headBytes);
      const last = Buffer.concat(tail, tailBytes).subarray(Math.max(0, tailBytes - tailCap));
      if (totalBytes <= cap) return { text: Buffer.concat([first, last]).toString('utf8'), truncated: false };
      // Cuts may fall inside a character; keep only whole characters on both sides so the
      // text never shows U+FFFD that the child did not write.
      const headWhole = first.subarray(0, measureCompleteUtf8(first));
      const tailWhole = last.subarray(skipContinuation(last));
      const kept = headWhole.length + tailWhole.length;
      const marker = `\n[oresi: output truncated: ${totalBytes - kept} bytes dropped, first ${headWhole.length} and last ${tailWhole.length} bytes kept]\n`;
      return { text: headWhole.toString('utf8') + marker + tailWhole.toString('utf8'), truncated: true };
    },
  };
}

/** Index of the first byte that starts a character (skips a partial one at the front). */
function skipContinuation(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && i < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) i++;
  return i;
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 sequence. */
export function measureCompleteUtf8(buf: Buffer): number {
  const end = buf.length;
  // A sequence is at most 4 bytes, so its lead byte is within the last 4.
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = buf[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + need <= end ? end : i;
  }
  return end;
}
