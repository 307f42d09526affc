/**
 * Built-in value patterns for the streaming redactor.
 *
 * Linear by construction for V8's backtracking engine: no nested quantifiers, every repetition
 * is bounded, and token patterns start with a lookbehind that forbids a token character before
 * them, so inside a long run of token characters only the run's first position can start a
 * match. Worst case is O(n × largest bound), never exponential.
 *
 * When a pattern has named groups starting with `secret`, only those spans are replaced (so
 * `password=` or `https://…@host` stay readable); otherwise the whole match is.
 * PEM private key blocks are found by `findPrivateKeyBlocks` (patterns-pem.ts), not by a regex,
 * because "BEGIN … END" with an unbounded body cannot be a linear regex.
 *
 * Coverage was checked against @secretlint/secretlint-rule-preset-recommend 12.0.0 (aws, github,
 * slack, npm, openai/anthropic, privatekey, basicauth, database-connection-string); the rest of
 * its rules (gcp, shopify, vault, …) run in `redactTextThorough` for one-shot texts.
 */
export interface TextPattern {
  readonly name: string;
  /** Compiled with the `g` and `d` flags (and `i` when asked). */
  readonly regex: RegExp;
  readonly description?: string | undefined;
}

/** Longest match any built-in regex can produce; the stream window must be larger. */
export const BUILTIN_MAX_MATCH = 12_800;

export function compilePattern(name: string, source: string, flags = '', description?: string): TextPattern {
  return { name, regex: new RegExp(source, `${flags}gd`), description };
}

const ASSIGN_KEYS = [
  'password', 'passwd', 'passphrase', 'secret', 'token', 'auth[_-]?token', 'api[_-]?key', 'apikey',
  'access[_-]?key', 'private[_-]?key', 'client[_-]?secret', 'credentials?',
].join('|');

const QUOTED_OR_BARE =
  `(?:"(?<secretDq>[^"\\r\\n]{1,1024})"|'(?<secretSq>[^'\\r\\n]{1,1024})'|(?<secret>[^\\s"',;&<>]{1,1024}))`;

const SOURCES: ReadonlyArray<[name: string, source: string, flags: string, description: string]> = [
  ['github-token',
    '(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])', '',
    'GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens'],
  ['slack-token', '(?<![A-Za-z0-9_-])xox[baprs]-[A-Za-z0-9-]{10,250}', '', 'Slack bot/user/app tokens'],
  ['slack-webhook', 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9_/-]{20,300})', '',
    'Slack incoming webhook URL (path redacted)'],
  ['discord-webhook',
    'https://(?:(?:ptb|canary)\\.)?discord(?:app)?\\.com/api/(?:v\\d{1,2}/)?webhooks/(?<secret>\\d{5,30}/[A-Za-z0-9_-]{20,200})', '',
    'Discord webhook URL (id and token redacted)'],
  ['aws-access-key-id', '(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])', '', 'AWS access key id'],
  ['aws-secret-access-key',
    '(?<![A-Za-z0-9])aws_?secret_?access_?key["\']?\\s{0,8}[=:]\\s{0,8}["\']?(?<secret>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])', 'i',
    'AWS secret access key in an assignment'],
  ['jwt', '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,2048}\\.[A-Za-z0-9_-]{8,8192}\\.[A-Za-z0-9_-]{0,2048}', '',
    'JSON Web Token'],
  ['url-credentials',
    // Anchored on the literal "://" (not the scheme) so V8 can skip ahead: 25× faster on logs.
    '://(?<secret>[^\\s/@:]{0,256}:[^\\s/@]{1,256})@', '',
    'user:password in a URL (scheme and host kept)'],
  ['authorization-header',
    '(?<![A-Za-z0-9_-])(?:proxy-)?authorization["\']?\\s{0,8}[:=]\\s{0,8}["\']?(?:(?:bearer|basic|token|bot|apikey)\\s{1,8})?(?<secret>[^\\s"\',;]{1,4096})', 'i',
    'Authorization header value'],
  ['bearer-token', '(?<![A-Za-z0-9_-])bearer\\s{1,8}(?<secret>[A-Za-z0-9._~+/-]{8,4096}={0,8})', 'i',
    'Bearer token anywhere'],
  ['secret-assignment',
    // (?<!env): `tokenEnv: ORESI_GITHUB_TOKEN` names the variable that holds a secret; it is not one.
    `(?<![A-Za-z0-9])(?:${ASSIGN_KEYS})[A-Za-z0-9_.-]{0,32}(?<!env)["']?\\s{0,8}[=:]\\s{0,8}${QUOTED_OR_BARE}`, 'i',
    'password=, secret=, token=, api_key= … assignments (value redacted)'],
  ['npm-token', '(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])', '', 'npm access token'],
  ['openai-key', '(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])', '',
    'OpenAI/Anthropic-style sk- API keys'],
];

export const BUILTIN_PATTERNS: readonly TextPattern[] = SOURCES.map(([name, source, flags, description]) =>
  compilePattern(name, source, flags, description));

export const BUILTIN_PATTERN_NAMES: readonly string[] = [...SOURCES.map(([name]) => name), 'private-key'];
