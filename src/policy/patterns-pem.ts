/**
 * PEM private key blocks. A regex with a lazy body (`BEGIN[\s\S]*?END`) rescans the rest of the
 * text from every BEGIN that has no END, which is quadratic on hostile input; this finder
 * searches for a footer once per header and resumes after it, so it is linear.
 *
 * A header without a footer is treated as a key running to the end of the text: a truncated
 * key is still a key, and guessing where its body stops would leak the tail.
 */
const HEADER = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const FOOTER = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/** Longest header or footer; a stream keeps this many trailing characters when looking for one. */
export const PEM_MARK_MAX = 80;

export interface PemBlock {
  start: number;
  /** Exclusive; equals text.length when `open`. */
  end: number;
  /** No footer yet: the block runs to the end of what we have. */
  open: boolean;
}

export function findPrivateKeyBlocks(text: string, from = 0): PemBlock[] {
  const blocks: PemBlock[] = [];
  const header = new RegExp(HEADER);
  header.lastIndex = from;
  for (;;) {
    const head = header.exec(text);
    if (!head) return blocks;
    const footerAt = findFooter(text, head.index + head[0].length);
    if (!footerAt) {
      blocks.push({ start: head.index, end: text.length, open: true });
      return blocks;
    }
    blocks.push({ start: head.index, end: footerAt.end, open: false });
    header.lastIndex = footerAt.end;
  }
}

/** The first footer at or after `from`, as [start, end). */
export function findFooter(text: string, from: number): { start: number; end: number } | undefined {
  const footer = new RegExp(FOOTER);
  footer.lastIndex = from;
  const m = footer.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : undefined;
}
