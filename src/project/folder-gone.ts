import { statSync } from 'node:fs';

/**
 * True when nothing is at `dir` any more (moved or deleted): a project known from Docker's labels
 * or the settings whose folder is gone. A folder that cannot be looked at (no permission) is not
 * called gone: that cannot be told, and it must never make its volumes look unused.
 */
export function folderIsGone(dir: string): boolean {
  try {
    return !statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}
