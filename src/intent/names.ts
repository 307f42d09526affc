/** The one pattern every caller-influenced name (stack, service, intent, param) must match. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value);
}
