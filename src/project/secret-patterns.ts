/**
 * Which paths of a project count as secrets the agent must not read. The same rules run twice: on
 * the host, where the walk at `up` decides the mounts, and in the agent container, where GNU find
 * checks on every start that nothing secret-looking went unshadowed. So they are kept in a form
 * both read alike: a pattern without a slash is a glob on a single name (`-name` in find), and a
 * pattern with one becomes a regular expression over the path from the project's root (`-regex`),
 * made only of `[^/]`, groups, `|`, `*`, `+` and backslash escapes: the subset JavaScript and
 * POSIX extended regular expressions agree on.
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
 * Committed templates of a `.env`, which the agent needs to read: exposed unless `secrets.shadow`
 * names them itself.
 */
export const DEFAULT_EXPOSED = ['.env.example', '.env.sample', '.env.template', '.env.dist'] as const;

/**
 * Folders not searched: version control data, and dependencies, which hold other people's public
 * files (certifi's cacert.pem, test keys of packages) that shadowing would break. A secret moved
 * into one after `up` is still found at each start of the agent container (by its inode, see
 * secret-inodes.ts).
 */
export const UNSEARCHED_FOLDERS = [
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  'site-packages',
  'vendor',
  '.venv',
  'venv',
  '.tox',
  '.bundle',
] as const;

/** A folder holding this file is a Python virtualenv (often named `.env`): never shadowed nor searched. */
export const VIRTUALENV_MARK = 'pyvenv.cfg';

/** One set of patterns: globs on a name, and a regex body over whole relative paths (if any). */
export interface PatternSet {
  names: string[];
  paths?: string;
}

/** The rules of one project, as data for the check in the container and as tests for the host. */
export interface SecretRules {
  source: { shadow: PatternSet; expose: PatternSet; skip: PatternSet };
  /** Whether the path itself matches a shadow pattern. */
  shadowed(path: string): boolean;
  /** Whether the path, or a folder above it, matches an expose entry. */
  exposed(path: string): boolean;
  /** Whether a folder at this path is left unsearched. */
  skipped(path: string): boolean;
}

/**
 * The rules from the approved config: the defaults plus `shadow`, less what `expose` names (and
 * the `.env` templates, unless `shadow` names one).
 * `unsearched` are project-relative folders to leave out besides the usual ones (where another
 * mount covers the project's own files).
 */
export function secretRules(
  config: { shadow?: readonly string[]; expose?: readonly string[] } = {},
  unsearched: readonly string[] = [],
): SecretRules {
  const shadow = patternSet([...DEFAULT_SECRET_PATTERNS, ...(config.shadow ?? [])]);
  const templates = DEFAULT_EXPOSED.filter((name) => !config.shadow?.includes(name));
  const expose = patternSet([...templates, ...(config.expose ?? [])]);
  const skip = patternSet(UNSEARCHED_FOLDERS, unsearched.map(literalPath));
  const [isShadow, isSkip] = [matcher(shadow), matcher(skip)];
  const exposeName = nameRegex(expose.names);
  // An exposed folder's entry covers everything below it.
  const exposePath = expose.paths === undefined ? undefined : new RegExp(`^(${expose.paths})(/[^/]+)*$`);
  return {
    source: { shadow, expose, skip },
    shadowed: isShadow,
    exposed: (path) =>
      (exposeName !== undefined && path.split('/').some((name) => exposeName.test(name))) ||
      (exposePath?.test(path) ?? false),
    skipped: isSkip,
  };
}

function patternSet(patterns: readonly string[], extraPaths: readonly string[] = []): PatternSet {
  const unique = [...new Set(patterns)];
  const names = unique.filter((p) => !isPathPattern(p)).map((p) => p.replace(/\/+$/, ''));
  const paths = [...unique.filter(isPathPattern).map(pathRegex), ...extraPaths];
  return paths.length ? { names, paths: paths.map((body) => `(${body})`).join('|') } : { names };
}

function matcher(set: PatternSet): (path: string) => boolean {
  const name = nameRegex(set.names);
  const path = set.paths === undefined ? undefined : new RegExp(`^(${set.paths})$`);
  return (p) => (name?.test(p.slice(p.lastIndexOf('/') + 1)) ?? false) || (path?.test(p) ?? false);
}

function nameRegex(globs: readonly string[]): RegExp | undefined {
  return globs.length ? new RegExp(`^(${globs.map(segmentRegex).join('|')})$`) : undefined;
}

/** A pattern names a path from the project's root when it has a slash other than a trailing one. */
function isPathPattern(pattern: string): boolean {
  return pattern.replace(/\/+$/, '').includes('/');
}

/**
 * A path pattern (`config/*.key`, `/private`, `deploy/**\/*.json`) as a regex body over relative
 * paths: `**` stands for any number of folders; `*` and `?` never cross a `/`. A leading or
 * trailing slash changes nothing.
 */
export function pathRegex(pattern: string): string {
  const segments = pattern.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  return segments
    .map((segment, i) => {
      const last = i === segments.length - 1;
      if (segment === '**') return last ? '[^/]+(/[^/]+)*' : '([^/]+/)*';
      return segmentRegex(segment) + (last ? '' : '/');
    })
    .join('');
}

/** One name's glob as a regex body: `*` any characters, `?` one; the rest literally. */
function segmentRegex(glob: string): string {
  return glob
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
