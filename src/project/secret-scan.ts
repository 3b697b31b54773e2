import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VIRTUALENV_MARK, type SecretRules } from './secret-patterns.js';

/** A path the agent sees empty: an empty read-only file over a file, an empty tmpfs over a folder. */
export interface SecretShadow {
  /** Relative to the project. */
  path: string;
  kind: 'file' | 'folder';
  /** The symbolic link whose name matched, when this is what it leads to. */
  via?: string;
}

export interface SecretScan {
  /** Sorted by path, so the agent's spec (and its hash) is the same for the same tree. */
  shadows: SecretShadow[];
  /** What the person should know: links out of the project, other names shadowed, a walk cut short. */
  notes: string[];
  /** Files and folders looked at. */
  entries: number;
  /** The walk stopped at a cap: what lies deeper was not searched (`up` makes no agent container then). */
  truncated: boolean;
  /** Why it stopped, for the person: what was found and how to search less. */
  truncatedBecause?: string;
}

export interface ScanOptions {
  rules: SecretRules;
  /**
   * Project-relative paths something else is mounted at (the read-only policy files, the folders
   * that run on the host): never shadowed, nor a folder above one (a read-only tmpfs there would
   * leave Docker no place to mount them).
   */
  mountedPaths: readonly string[];
  /**
   * Project-relative paths where another mount hides the project's own files (extra mounts with a
   * target in the workspace): like mountedPaths, and nothing below them is shadowed either. The
   * rules must leave them unsearched too (secretRules' `unsearched`).
   */
  coveredPaths?: readonly string[];
  /** Where the project appears inside the container, for absolute links that point into it. */
  workspace: string;
  maxEntries?: number;
  maxShadows?: number;
}

/** 100,000 entries take well under a second to walk; a bigger tree is searched breadth first up to it. */
export const MAX_SCANNED_ENTRIES = 100_000;
/** Each shadow is a mount; past this many, shadowing their folders is the better way. */
export const MAX_SHADOWS = 1_000;
const READS_AT_ONCE = 32;

/**
 * Walks the project breadth first (the shallowest paths first, so a cap cuts the deepest), never
 * following a link, never descending into an unsearched, exposed or shadowed folder.
 */
export async function scanForSecrets(projectDir: string, options: ScanOptions): Promise<SecretScan> {
  const { rules } = options;
  const root = await realpath(projectDir);
  const maxEntries = options.maxEntries ?? MAX_SCANNED_ENTRIES;
  const maxShadows = options.maxShadows ?? MAX_SHADOWS;
  const mounts = mountConflicts(options);
  const shadows: SecretShadow[] = [];
  const links: string[] = [];
  let entries = 0;
  let truncated = false;
  for (let level = ['']; level.length && !truncated;) {
    const next: string[] = [];
    const listings = await listAll(root, level);
    for (const [i, dir] of level.entries()) {
      for (const dirent of listings[i]!) {
        const path = dir ? `${dir}/${dirent.name}` : dirent.name;
        truncated = ++entries > maxEntries;
        if (truncated) break;
        if (rules.exposed(path)) continue;
        const folder = dirent.isDirectory();
        if (folder && rules.shadowed(path) && (await isVirtualenv(join(root, path)))) continue;
        if (rules.shadowed(path) && !mounts.touches(path)) {
          truncated = shadows.length + links.length >= maxShadows;
          if (truncated) break;
          if (dirent.isSymbolicLink()) links.push(path);
          else shadows.push({ path, kind: folder ? 'folder' : 'file' });
          continue;
        }
        if (folder && !rules.skipped(path)) next.push(path);
      }
      if (truncated) break;
    }
    level = next;
  }
  const notes = await followLinks(root, links, shadows, options);
  const because = truncated
    ? truncatedBecause(entries > maxEntries ? maxEntries : undefined, maxShadows, [...shadows, ...links])
    : undefined;
  if (because) notes.push(truncatedNote(because));
  return {
    shadows: shadows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    notes,
    entries: Math.min(entries, maxEntries),
    truncated,
    ...(because ? { truncatedBecause: because } : {}),
  };
}

/** A Python virtualenv (`python -m venv .env` is common): other people's files, like node_modules. */
async function isVirtualenv(folder: string): Promise<boolean> {
  return (await lstat(join(folder, VIRTUALENV_MARK)).catch(() => undefined))?.isFile() ?? false;
}

/** Reads many folders at once, keeping their order; each listing sorted by name. */
async function listAll(root: string, dirs: readonly string[]): Promise<Dirent[][]> {
  const listings: Dirent[][] = [];
  for (let start = 0; start < dirs.length; start += READS_AT_ONCE) {
    const batch = dirs.slice(start, start + READS_AT_ONCE).map(async (dir) => {
      const list = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
      return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
    listings.push(...(await Promise.all(batch)));
  }
  return listings;
}

/** Where a shadow would collide with another mount: at it, above it, or below one that hides the project. */
function mountConflicts(options: Pick<ScanOptions, 'mountedPaths' | 'coveredPaths'>) {
  const covered = options.coveredPaths ?? [];
  const all = [...options.mountedPaths, ...covered];
  const exact = new Set(all);
  const above = new Set(all.flatMap((path) => ancestors(path)));
  return {
    touches: (path: string) =>
      exact.has(path) || above.has(path) || covered.some((c) => path.startsWith(`${c}/`)),
  };
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * A link is never mounted over: Docker would follow it inside the container and put the empty
 * file wherever it leads there (over /etc/passwd, say). What it leads to in the project is
 * shadowed instead, so the secret reads empty by every name; a link out of the project shows
 * nothing of the host inside, where it leads to the container's own files or nowhere.
 */
async function followLinks(
  root: string,
  links: readonly string[],
  shadows: SecretShadow[],
  options: ScanOptions,
): Promise<string[]> {
  const notes: string[] = [];
  const mounts = mountConflicts(options);
  for (const path of links) {
    const target = await linkTarget(root, path, options.workspace);
    if (target === 'outside') {
      notes.push(
        `${path} is a symbolic link out of the project: not shadowed (inside, it shows no host file)`,
      );
    }
    if (typeof target !== 'object') continue;
    const covered = shadows.some(
      (s) => s.path === target.path || (s.kind === 'folder' && target.path.startsWith(`${s.path}/`)),
    );
    if (covered || options.rules.exposed(target.path) || mounts.touches(target.path)) continue;
    // A folder's tmpfs hides what was to be shadowed below it (and leaves no place to mount it).
    if (target.kind === 'folder') {
      const below = shadows.filter((s) => s.path.startsWith(`${target.path}/`));
      for (const shadow of below) shadows.splice(shadows.indexOf(shadow), 1);
    }
    shadows.push({ ...target, via: path });
  }
  return notes;
}

/**
 * Where a link leads as the container resolves it (an absolute path into the workspace too):
 * a path in the project, `outside` it, or nothing (it leads nowhere, or to the project itself).
 */
async function linkTarget(
  root: string,
  path: string,
  workspace: string,
): Promise<Omit<SecretShadow, 'via'> | 'outside' | undefined> {
  const full = join(root, path);
  const text = await readlink(full).catch(() => undefined);
  if (text === undefined) return undefined;
  const inWorkspace = text === workspace || text.startsWith(`${workspace}/`);
  const hostPath = inWorkspace
    ? join(root, text.slice(workspace.length))
    : isAbsolute(text)
      ? text
      : resolve(dirname(full), text);
  const real = await realpath(hostPath).catch(() => undefined);
  if (!real || real === root) return undefined;
  const rel = relative(root, real);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return 'outside';
  const stats = await lstat(real).catch(() => undefined);
  if (!stats) return undefined;
  return { path: rel.split(sep).join('/'), kind: stats.isDirectory() ? 'folder' : 'file' };
}

/**
 * Adds shadows for other names of shadowed files (hard links) and for secrets moved since the last
 * `up` (found by inode, see secret-inodes.ts), where nothing covers them yet and no other mount is
 * in the way. `origin` is the name each was shadowed by (its own, when it was found there before).
 */
export function withOtherNames(
  scan: SecretScan,
  found: readonly (Omit<SecretShadow, 'via'> & { origin: string })[],
  options: Pick<ScanOptions, 'mountedPaths' | 'coveredPaths'>,
): SecretScan {
  const mounts = mountConflicts(options);
  const shadows = [...scan.shadows];
  const notes = [...scan.notes];
  for (const { origin, ...shadow } of found) {
    const covered = shadows.some(
      (s) => s.path === shadow.path || (s.kind === 'folder' && shadow.path.startsWith(`${s.path}/`)),
    );
    if (covered) continue;
    if (mounts.touches(shadow.path)) {
      notes.push(`${shadow.path} is the same file as ${origin} but another mount is there: not shadowed`);
      continue;
    }
    if (shadow.kind === 'folder') {
      for (const below of shadows.filter((s) => s.path.startsWith(`${shadow.path}/`)))
        shadows.splice(shadows.indexOf(below), 1);
    }
    shadows.push(shadow);
    if (origin !== shadow.path)
      notes.push(
        `${shadow.path} is the same file as ${origin} (moved there, or another name of it): shadowed too`,
      );
  }
  return {
    ...scan,
    shadows: shadows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    notes,
  };
}

function truncatedBecause(
  maxEntries: number | undefined,
  maxShadows: number,
  found: readonly (SecretShadow | string)[],
): string {
  if (maxEntries !== undefined) {
    return `the project has more than ${maxEntries.toLocaleString('en')} files and folders to search`;
  }
  const paths = found.slice(0, 3).map((f) => (typeof f === 'string' ? f : f.path));
  return `more than ${maxShadows.toLocaleString('en')} paths match (${paths.join(', ')}, ...)`;
}

function truncatedNote(because: string): string {
  return (
    `Shadowing searched only part of the project: ${because}. \`claude-tui up\` makes no agent ` +
    'container until the search is whole: delete what should not be there, or expose folders that ' +
    'hold no secrets (secrets.expose), or shadow whole folders (secrets.shadow), to search less.'
  );
}
