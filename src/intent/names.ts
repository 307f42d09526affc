/** The one pattern every caller-influenced name (stack, service, intent, param) must match. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}

/** git's own branch-name rules, narrowed: no leading dash (an option), no `..`, no `@{`, no `//`, no trailing `/` or `.lock`. */
export const BRANCH_PATTERN = /^(?!-)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;
