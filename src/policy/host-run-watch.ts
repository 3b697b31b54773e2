import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readHostFile } from './read-host-file.js';

/**
 * Files in the workspace that run code on the host later (an editor's tasks, git hooks, direnv,
 * CI workflows, dev container definitions). Those that exist at `up` are mounted read-only; those
 * that did not cannot be, so every one of them is watched instead: what changed since the last
 * `up` or approval is shown, so the person looks before running it.
 */
export const HOST_RUN_PATHS = [
  '.vscode',
  '.devcontainer',
  '.husky',
  '.githooks',
  '.github/workflows',
  '.envrc',
  '.git/hooks',
  '.git/config',
] as const;

export interface HostRunChange {
  path: string;
  change: 'created' | 'modified' | 'deleted';
}

/** What a file looked like: enough to tell a change (ctime cannot be set back by the agent). */
interface Mark {
  kind: 'file' | 'folder' | 'link' | 'other';
  ino: number;
  size: number;
  ctimeMs: number;
  mode: number;
  /** Content digest of small files, so a file rewritten with the same bytes is not a change. */
  sha256?: string;
}

type Marks = Record<string, Mark>;

const BASELINE_FILE = 'host-run-baseline.json';
/** A tree this large (a vendored folder under .vscode, say) is watched only this far. */
const MAX_ENTRIES = 5000;
const MAX_HASHED_BYTES = 1024 * 1024;

export async function takeMarks(projectDir: string, paths: readonly string[]): Promise<Marks> {
  const marks: Marks = {};
  const visit = async (path: string): Promise<void> => {
    if (Object.keys(marks).length >= MAX_ENTRIES) return;
    const stats = await lstat(join(projectDir, path)).catch(() => undefined);
    if (!stats) return;
    const kind = stats.isFile()
      ? 'file'
      : stats.isDirectory()
        ? 'folder'
        : stats.isSymbolicLink()
          ? 'link'
          : 'other';
    marks[path] = { kind, ino: stats.ino, size: stats.size, ctimeMs: stats.ctimeMs, mode: stats.mode };
    // Links are recorded, never followed: where one leads is the host's business, not ours to read.
    if (kind !== 'folder') return;
    const names = await readdir(join(projectDir, path)).catch(() => []);
    for (const name of names.sort()) await visit(`${path}/${name}`);
  };
  for (const path of paths) await visit(path);
  return marks;
}

/** Adds content digests to the marks of small regular files (only those that need one). */
async function digest(projectDir: string, marks: Marks, paths: Iterable<string>): Promise<void> {
  for (const path of paths) {
    const mark = marks[path];
    if (mark?.kind !== 'file' || mark.size > MAX_HASHED_BYTES) continue;
    const read = await readHostFile(join(projectDir, path), {
      within: projectDir,
      maxBytes: MAX_HASHED_BYTES,
    });
    if (read.kind === 'file') mark.sha256 = createHash('sha256').update(read.text).digest('hex');
  }
}

export function watchedPaths(extra: readonly string[] = []): string[] {
  return [...new Set([...HOST_RUN_PATHS, ...extra])];
}

/** Records how the watched paths look now, as the point later changes are measured from. */
export async function recordHostRunBaseline(
  projectDir: string,
  projectStateDir: string,
  paths: readonly string[],
): Promise<void> {
  const marks = await takeMarks(projectDir, paths);
  await digest(projectDir, marks, Object.keys(marks));
  await mkdir(projectStateDir, { recursive: true, mode: 0o700 });
  const file = join(projectStateDir, BASELINE_FILE);
  await writeFile(`${file}.tmp`, JSON.stringify({ takenAt: new Date().toISOString(), paths, marks }), {
    mode: 0o600,
  });
  await rename(`${file}.tmp`, file);
}

/**
 * What changed under the watched paths since the baseline; undefined when there is no baseline yet
 * (the first `up` takes one). A file whose ctime moved but whose bytes are the same is unchanged.
 */
export async function hostRunChanges(
  projectDir: string,
  projectStateDir: string,
  paths: readonly string[],
): Promise<HostRunChange[] | undefined> {
  const text = await readFile(join(projectStateDir, BASELINE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let baseline: { marks: Marks; paths?: string[] };
  try {
    baseline = JSON.parse(text) as { marks: Marks; paths?: string[] };
  } catch {
    return undefined;
  }
  // A path added to the watch since the baseline has nothing to compare with: measured next time.
  const known = paths.filter((p) => !baseline.paths || baseline.paths.includes(p));
  const now = await takeMarks(projectDir, known);
  const moved = Object.keys(now).filter((path) => {
    const before = baseline.marks[path];
    return before && sameKind(before, now[path]!) && !sameStat(before, now[path]!);
  });
  await digest(projectDir, now, moved);
  const changes: HostRunChange[] = [];
  for (const [path, mark] of Object.entries(now)) {
    const before = baseline.marks[path];
    if (!before) changes.push({ path, change: 'created' });
    else if (!sameKind(before, mark) || (!sameStat(before, mark) && !sameContent(before, mark))) {
      // A folder's own stat moves whenever an entry in it does; the entries speak for themselves.
      if (mark.kind !== 'folder' || before.kind !== 'folder') changes.push({ path, change: 'modified' });
    }
  }
  for (const path of Object.keys(baseline.marks)) {
    if (!(path in now) && known.some((p) => path === p || path.startsWith(`${p}/`))) {
      changes.push({ path, change: 'deleted' });
    }
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

const sameKind = (a: Mark, b: Mark) => a.kind === b.kind;
const sameStat = (a: Mark, b: Mark) =>
  a.ino === b.ino && a.size === b.size && a.ctimeMs === b.ctimeMs && a.mode === b.mode;
/** Same bytes and same permissions (an exec bit gained is a change). */
const sameContent = (a: Mark, b: Mark) =>
  a.kind === 'file' && a.sha256 !== undefined && a.sha256 === b.sha256 && a.mode === b.mode;
