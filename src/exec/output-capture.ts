import { StringDecoder } from 'node:string_decoder';

/**
 * Collects one child stream up to a byte cap. Bytes past the cap are counted and dropped but
 * the caller keeps reading, because a child whose pipe is not drained blocks forever.
 */
export interface OutputCapture {
  /** Feeds a raw chunk; returns the decoded text that was kept (may be ''). */
  push(chunk: Buffer): string;
  /** The kept text, ending with a truncation marker when bytes were dropped. */
  finish(): { text: string; truncated: boolean };
}

export function createOutputCapture(maxBytes: number): OutputCapture {
  const cap = Math.max(0, Math.floor(maxBytes));
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let totalBytes = 0;
  // Only for live chunks: it carries a multi-byte character split across reads.
  const decoder = new StringDecoder('utf8');

  return {
    push(chunk) {
      totalBytes += chunk.length;
      const room = cap - keptBytes;
      if (room <= 0) return '';
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      kept.push(part);
      keptBytes += part.length;
      return decoder.write(part);
    },
    finish() {
      const all = Buffer.concat(kept, keptBytes);
      if (totalBytes <= cap) return { text: all.toString('utf8'), truncated: false };
      // The cut may fall inside a character; keep only whole characters so the text does
      // not end in U+FFFD that the child never wrote.
      const whole = measureCompleteUtf8(all);
      const dropped = totalBytes - whole;
      const marker = `\n[oresi: output truncated: ${whole} bytes kept, ${dropped} bytes dropped]`;
      return { text: all.subarray(0, whole).toString('utf8') + marker, truncated: true };
    },
  };
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
