import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let written = 0;

/**
 * Replaces a file in one step: the content goes to a new file beside it, created with `mode`
 * before it holds a byte, flushed to disk, then renamed over the old one. Readers see the old
 * file or the new one, never a part; a crash leaves the old one.
 */
export async function writeFileAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${++written}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    try {
      // The umask may have taken bits off the mode asked for; a looser one is never wanted here.
      await handle.chmod(mode);
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
