/**
 * Which paths of a project count as secrets the agent must not read: names and path patterns,
 * compiled once into regular expressions that mean the same to JavaScript (the walk at `up` on the
 * host) and to POSIX extended regular expressions (GNU find in the agent container, which checks
 * on every start that nothing secret-looking went unshadowed). Only `[^/]`, groups, `|`, `*`, `+`
 * and backslash escapes of literal characters are emitted: the subset both dialects read alike.
 */

/** Shadowed in every project unless exposed (`secrets.expose`). */
export const DEFAULT_SECRET_PATTERNS = [
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  'id_rsa*',
  'id_ed25519*',
  '.credentials.json',
  '.npmrc',
  '.pypirc',
  '.netrc',
] as const;

/**
 * Folders not searched: version control data, and dependencies, which hold other people's public
 * files (certifi's cacert.pem, test keys of packages) that shadowing would break.
 */
export const UNSEARCHED_FOLDERS = ['.git', '.hg', '.svn', 'node_modules', 'site-packages'] as const;

/** The rules of one project, as regex bodies for both dialects and as tests for the host. */
export interface SecretRules {
  /** Regex bodies matching a whole project-relative path; undefined when nothing matches. */
  source: { shadow: string; expose: string | undefined; skip: string };
  /** Whether the path itself matches a shadow pattern. */
  shadowed(path: string): boolean;
  /** Whether the path, or a folder above it, matches an expose entry. */
  exposed(path: string): boolean;
  /** Whether a folder at this path is left unsearched. */
  skipped(path: string): boolean;
}

/**
 * The rules from the approved config: the defaults plus `shadow`, less what `expose` names.
 * `unsearched` are project-relative folders to leave out besides the usual ones (where another
 * mount covers the project's own files).
 */
export function secretRules(
  config: { shadow?: readonly string[]; expose?: readonly string[] } = {},
  unsearched: readonly string[] = [],
): SecretRules {
  const shadow = anyOf([...DEFAULT_SECRET_PATTERNS, ...(config.shadow ?? [])].map(globToRegex));
  const expose = config.expose?.length ? anyOf(config.expose.map(globToRegex)) : undefined;
  const skip = anyOf([...UNSEARCHED_FOLDERS.map(globToRegex), ...unsearched.map(literalPath)]);
  const whole = (body: string) => new RegExp(`^(${body})$`);
  const [shadowRe, skipRe] = [whole(shadow), whole(skip)];
  // A folder's expose entry covers everything below it.
  const exposeRe = expose === undefined ? undefined : new RegExp(`^(${expose})(/[^/]+)*$`);
  return {
    source: { shadow, expose, skip },
    shadowed: (path) => shadowRe.test(path),
    exposed: (path) => exposeRe?.test(path) ?? false,
    skipped: (path) => skipRe.test(path),
  };
}

/**
 * A pattern as a regex body over project-relative paths. Without a slash it names a file or folder
 * at any depth (`*.pem`); with one it is a path from the project's root (`config/*.key`, a leading
 * `/` allowed), where `**` stands for any number of folders. `*` and `?` never cross a `/`.
 */
export function globToRegex(pattern: string): string {
  const trimmed = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  const fromRoot = pattern.startsWith('/') || trimmed.includes('/');
  const segments = trimmed.split('/');
  const body = segments
    .map((segment, i) => {
      const last = i === segments.length - 1;
      if (segment === '**') return last ? '[^/]+(/[^/]+)*' : '([^/]+/)*';
      return segmentRegex(segment) + (last ? '' : '/');
    })
    .join('');
  return fromRoot ? body : `([^/]+/)*${body}`;
}

function segmentRegex(segment: string): string {
  return segment
    .replace(/\*+/g, '*')
    .split('')
    .map((char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : escapeChar(char)))
    .join('');
}

function literalPath(path: string): string {
  return path.split('').map(escapeChar).join('');
}

/** Every character special to either dialect, escaped; the rest as they are. */
function escapeChar(char: string): string {
  return /[.+*?()[\]{}^$|\\]/.test(char) ? `\\${char}` : char;
}

function anyOf(bodies: readonly string[]): string {
  return bodies.map((body) => `(${body})`).join('|');
}
