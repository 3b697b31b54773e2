import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** True when `folder` is `dir` or somewhere below it. */
export function isWithin(folder: string, dir: string): boolean {
  return folder === dir || folder.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The deepest of the projects whose folder holds `folder`: of nested projects, the inner one. */
export function deepestContaining<T extends { dir: string }>(
  projects: readonly T[],
  folder: string,
): T | undefined {
  let deepest: T | undefined;
  for (const project of projects) {
    if (isWithin(folder, project.dir) && project.dir.length > (deepest?.dir.length ?? -1)) deepest = project;
  }
  return deepest;
}

/**
 * The folder that looks like a project around `folder`, for when no known project holds it: the
 * nearest folder at or above it with `.claude` (the project's settings for claude-tui and the
 * agent) or `.git` (a repository's root, so the search never goes above it). A `.claude` below
 * the root wins over the root: that package is set up as a project of its own. The search stops
 * before the home folder, whose `.claude` is the agent's own settings, and before `/`.
 */
export function projectFolderAround(folder: string, home: string | undefined): string | null {
  for (let dir = folder; dir !== home && dirname(dir) !== dir; dir = dirname(dir)) {
    if (isDirectory(join(dir, '.claude')) || exists(join(dir, '.git'))) return dir;
  }
  return null;
}

/** The folder with symlinks resolved, as projects are named; as given when it cannot be. */
export function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

function isDirectory(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() ?? false;
}

/** `.git` is a folder in a repository and a file in a worktree or submodule. */
function exists(path: string): boolean {
  return statOrUndefined(path) !== undefined;
}

/** A folder that cannot be read counts as holding nothing. */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
