import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessRunner } from '../system/process.js';

/**
 * One background watcher per project sends the notifications while nobody has claude-tui open.
 * `start` makes sure it runs; it ends by itself when the project has no running session.
 */
export function watcherPidFile(projectStateDir: string): string {
  return join(projectStateDir, 'watcher.pid');
}

export async function watcherRunning(projectStateDir: string): Promise<boolean> {
  const pid = Number(await readFile(watcherPidFile(projectStateDir), 'utf8').catch(() => ''));
  return pid > 0 && processAlive(pid);
}

/**
 * Whether a process of this user with that id runs (signal 0 only asks). One of another user
 * (EPERM) is not ours: a pid file left from before a reboot may name it.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function ensureWatcher(
  processes: ProcessRunner,
  projectStateDir: string,
  projectDir: string,
  cliPath: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (await watcherRunning(projectStateDir)) return;
  await processes.spawnDetached(process.execPath, [cliPath, 'watch', projectDir, '--background'], { env });
}

export async function claimWatcher(projectStateDir: string): Promise<() => Promise<void>> {
  const file = watcherPidFile(projectStateDir);
  await writeFile(file, String(process.pid));
  return async () => {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === String(process.pid)) await rm(file, { force: true });
  };
}
