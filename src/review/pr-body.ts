/**
 * Reading what an author wrote in the PR body. Template placeholders (HTML comments) do not
 * count as writing, so an untouched template section is an empty one.
 */
export function stripComments(body: string): string {
  return body.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
}

/** Text under Markdown headings whose title matches `title`, up to the next heading of any level. */
export function sectionText(body: string, title: RegExp): string {
  const out: string[] = [];
  let inside = false;
  for (const line of stripComments(body).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      inside = title.test(heading[1] ?? '');
      continue;
    }
    if (inside) out.push(line);
  }
  return out.join('\n').trim();
}

/** The section's text, or else every line outside headings that matches `title`. */
export function notesAbout(body: string, title: RegExp): string {
  const section = sectionText(body, title);
  if (section !== '') return section;
  return stripComments(body).split('\n').filter((l) => !/^\s{0,3}#/.test(l) && title.test(l)).join('\n').trim();
}
