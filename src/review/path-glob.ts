/**
 * Repository path globs as policy.yaml writes them: `*` and `?` stay inside one path segment,
 * `**` spans any number of segments (including none), everything else is literal. A glob with
 * no slash matches a file name at any depth (`*.md`), as .gitignore does.
 */
export function compilePathGlob(glob: string): RegExp {
  const anchored = glob.includes('/');
  const body = glob.replace(/^\/+/, '');
  let re = '';
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] as string;
    if (ch === '*' && body[i + 1] === '*') {
      const slashAfter = body[i + 2] === '/';
      // `**/` may match nothing; a trailing `**` matches the rest of the path.
      re += slashAfter ? '(?:[^/]*/)*' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (ch === '*') {
      re += '[^/]*';
    } else if (ch === '?') {
      re += '[^/]';
    } else {
      re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(anchored ? `^${re}$` : `^(?:.*/)?${re}$`);
}

export function matchesPathGlob(glob: string, path: string): boolean {
  return compilePathGlob(glob).test(path);
}

export function matchesAnyGlob(globs: readonly string[], path: string): boolean {
  return globs.some((g) => matchesPathGlob(g, path));
}
