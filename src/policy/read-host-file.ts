import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Reads files the agent may have written (or replaced) from the host's side, without letting them
 * lead the host astray: a symbolic link out of the project is not followed, a FIFO or a device is
 * not opened, a file is not read past a limit. What was refused says why, in words for a person.
 */
export type HostFileRead =
  { kind: 'absent' } | { kind: 'file'; text: string } | { kind: 'refused'; reason: string };

export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

interface ReadOptions {
  /** Files must resolve inside this folder (the project); omit for a file named outside it. */
  within?: string;
  maxBytes?: number;
}

export async function readHostFile(path: string, options: ReadOptions = {}): Promise<HostFileRead> {
  const maxBytes = options.maxBytes ?? MAX_POLICY_FILE_BYTES;
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return refusedBy(error);
    // A link whose target is missing is not "no file": it says where it would lead.
    const link = await lstat(path).catch(() => undefined);
    if (!link?.isSymbolicLink()) return { kind: 'absent' };
    return { kind: 'refused', reason: `is a symbolic link to ${await readlink(path)}, which does not exist` };
  }
  const outside = options.within ? await outsideOf(options.within, real) : false;
  if (outside) return { kind: 'refused', reason: `is a symbolic link out of the project (to ${real})` };

  const before = await lstat(real);
  const kind = fileKind(before);
  if (kind !== 'file') return { kind: 'refused', reason: `is ${kind}, not a file` };
  if (before.size > maxBytes) return { kind: 'refused', reason: `is larger than ${describeBytes(maxBytes)}` };

  // O_NOFOLLOW and O_NONBLOCK: a link or FIFO swapped in since the look above is refused, not
  // followed or waited on.
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return refusedBy(error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      return { kind: 'refused', reason: 'changed while it was being read; try again' };
    }
    // Where the opened file really is, as the kernel sees it (a folder on the way may have been
    // swapped for a link after realpath looked).
    if (options.within && (await openedOutside(options.within, handle.fd))) {
      return { kind: 'refused', reason: 'was moved out of the project while it was being read' };
    }
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { kind: 'refused', reason: `is larger than ${describeBytes(maxBytes)}` };
    return { kind: 'file', text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** A path inside the project, as written in its files (relative to it, or absolute). */
export function projectPath(projectDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(projectDir, path);
}

async function outsideOf(root: string, real: string): Promise<boolean> {
  const rootReal = await realpath(root).catch(() => root);
  const rel = relative(rootReal, real);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

async function openedOutside(root: string, fd: number): Promise<boolean> {
  const where = await readlink(join('/proc/self/fd', String(fd))).catch(() => undefined);
  // Without /proc (macOS) the realpath check above stands alone.
  return where === undefined ? false : outsideOf(root, where);
}

function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function refusedBy(error: unknown): HostFileRead {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: 'cannot be read: permission denied',
    EPERM: 'cannot be read: permission denied',
    ELOOP: 'is a symbolic link loop, or was swapped for a link while being read',
    EISDIR: 'is a folder, not a file',
  };
  return { kind: 'refused', reason: reasons[code ?? ''] ?? `cannot be read (${code ?? String(error)})` };
}

function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MB` : `${bytes} bytes`;
}
