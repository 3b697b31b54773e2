import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SecretShadow } from './secret-scan.js';

type Shadow = Pick<SecretShadow, 'path' | 'kind'>;

/**
 * What each shadow hides, by inode. A shadow mount moves with a folder renamed above it, and a
 * hard link gives a secret a name no pattern matches; both keep the inode. The check at each start
 * of the agent container searches the whole workspace for these inodes, unsearched folders
 * included, and refuses to start when one is visible; `up` searches the host for the ones recorded
 * last time that it no longer finds, and shadows them where they are now.
 *
 * Kept in a file in the project's state folder, mounted read-only, not in the container's spec:
 * an editor saving a `.env` by rename gives it a new inode, which must not make `up` recreate the
 * agent container.
 */
export interface InodeRecord {
  /** The project folder's device and inode on the host; inside, inode numbers are trusted only when `/workspace` has this one. */
  device: number;
  root: number;
  shadows: RecordedShadow[];
}

/** Size and modification time tell a secret moved away from an unrelated file given its freed inode. */
export interface RecordedShadow extends Shadow {
  inode: number;
  size: number;
  mtimeMs: number;
}

/** Where the check finds the record inside the agent container (outside the workspace). */
export const INODE_RECORD_TARGET = '/etc/claude-tui/secret-inodes.json';

/** In the project's state folder on the host. */
export function inodeRecordFile(projectStateDir: string): string {
  return join(projectStateDir, 'secret-inodes.json');
}

/**
 * The record of these shadows as the project is now (a path gone since the walk is left out), and
 * the inodes of shadowed files that have other names (hard links).
 */
export async function recordInodes(
  root: string,
  shadows: readonly Shadow[],
): Promise<{ record: InodeRecord; hardLinked: number[] }> {
  const top = await lstat(root);
  const stats = await Promise.all(shadows.map((s) => lstat(join(root, s.path)).catch(() => undefined)));
  const record: InodeRecord = {
    device: top.dev,
    root: top.ino,
    shadows: shadows.flatMap((shadow, i) => {
      const stat = stats[i];
      if (!stat) return [];
      return [
        { path: shadow.path, kind: shadow.kind, inode: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs },
      ];
    }),
  };
  const hardLinked = stats.flatMap((stat) => (stat?.isFile() && stat.nlink > 1 ? [stat.ino] : []));
  return { record, hardLinked };
}

export async function readInodeRecord(file: string): Promise<InodeRecord | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const record = JSON.parse(text) as InodeRecord;
    return Array.isArray(record.shadows) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Replaced whole (by rename), so a container starting reads one record or the other, never half. */
export async function writeInodeRecord(file: string, record: InodeRecord): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record)}\n`, { mode: 0o644 });
  await rename(temporary, file);
}

/** Paths shadowed then and now whose file is another one now: replaced on the host (an editor's save). */
export function replacedSince(previous: InodeRecord | undefined, now: InodeRecord): string[] {
  if (!previous || previous.device !== now.device) return [];
  const before = new Map(previous.shadows.map((s) => [s.path, s.inode]));
  return now.shadows.filter((s) => before.has(s.path) && before.get(s.path) !== s.inode).map((s) => s.path);
}

/** What was recorded last time that none of these shadows has: moved since, or gone. */
export function unaccounted(previous: InodeRecord | undefined, now: InodeRecord): RecordedShadow[] {
  if (!previous || previous.device !== now.device) return [];
  const have = new Set(now.shadows.map((s) => s.inode));
  return previous.shadows.filter((s) => !have.has(s.inode));
}

/** The same file, not another given its inode after it was deleted. */
export function sameFile(a: Omit<RecordedShadow, 'path'>, b: Omit<RecordedShadow, 'path'>): boolean {
  return a.inode === b.inode && a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

const READS_AT_ONCE = 64;

/**
 * Every path in the project (nothing skipped, no link followed, on the project's own device)
 * whose inode is one of `wanted`. Walks the whole tree: run only when an inode is unaccounted for.
 */
export async function findInodes(root: string, wanted: ReadonlySet<number>): Promise<RecordedShadow[]> {
  const device = (await lstat(root)).dev;
  const found: RecordedShadow[] = [];
  for (let level = ['']; level.length;) {
    const next: string[] = [];
    for (let start = 0; start < level.length; start += READS_AT_ONCE) {
      const batch = level.slice(start, start + READS_AT_ONCE);
      const listings = await Promise.all(
        batch.map((dir) => readdir(join(root, dir), { withFileTypes: true }).catch((): Dirent[] => [])),
      );
      const paths = batch.flatMap((dir, i) =>
        listings[i]!.map((d) => ({ path: dir ? `${dir}/${d.name}` : d.name, folder: d.isDirectory() })),
      );
      const stats = await Promise.all(paths.map((p) => lstat(join(root, p.path)).catch(() => undefined)));
      for (const [i, entry] of paths.entries()) {
        const stat = stats[i];
        if (!stat || stat.dev !== device) continue;
        if (wanted.has(stat.ino)) {
          const kind = entry.folder ? 'folder' : 'file';
          found.push({ path: entry.path, kind, inode: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs });
        }
        if (entry.folder) next.push(entry.path);
      }
    }
    level = next;
  }
  return found;
}
