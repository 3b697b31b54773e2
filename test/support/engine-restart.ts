import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { execa } from 'execa';
import type { DockerEngine } from '../../src/docker/engine.js';

/**
 * Stops the Docker Engine of this machine and starts it again with the same command line, as a
 * reboot or an upgrade of Docker would. Only for a machine whose dockerd a test may own: CI's,
 * where `.ci/run` started it by hand (no service manager to ask).
 */
export async function restartDockerd(engine: DockerEngine): Promise<void> {
  const { stdout } = await execa('pgrep', ['-x', 'dockerd'], { reject: false });
  const pids = stdout.trim().split('\n').filter(Boolean);
  if (pids.length !== 1) throw new Error(`expected one dockerd process, found ${pids.length}`);
  const pid = Number(pids[0]);
  const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  process.kill(pid, 'SIGTERM');
  await until('dockerd to stop', () => Promise.resolve(!isAlive(pid)), 90_000);
  const log = openSync('/var/log/dockerd.log', 'a');
  const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  await until(
    'dockerd to answer again',
    () =>
      engine.ping().then(
        () => true,
        () => false,
      ),
    90_000,
  );
}

export function canRestartDockerd(): string | undefined {
  if (process.getuid?.() !== 0) return 'the tests do not run as root';
  const found = readFileSync('/proc/1/comm', 'utf8').trim();
  // Under a service manager, dockerd is its to restart, not a test's.
  if (found === 'systemd') return 'dockerd belongs to systemd on this machine';
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
