import type { DockerEngine, ImageSummary } from '../docker/engine.js';
import { managedLabels } from '../docker/labels.js';
import { unmergedCountScript } from './landed-marks.js';

/** Where a git-session volume's repository is mounted in the short-lived counting container. */
const REPO_MOUNT = '/repo';

/**
 * Commits in a git-session volume that have not landed: neither in the commit it started from
 * nor marked landed (a pick, a file pick of every file, a squash, or found on the target), counted
 * by git in a short-lived container with no network that mounts the volume read-only. It needs
 * no host folder, so a project whose folder is gone is counted the same. Null when that cannot be
 * told (no image, no repository).
 */
export async function countUnmerged(
  engine: DockerEngine,
  volume: string,
  base: string | undefined,
  images: ImageSummary[],
): Promise<number | null> {
  if (!base || !/^[0-9a-f]{7,64}$/.test(base)) return null;
  // Newest first; an image without git (a test's, a half-built one) answers 127 and the next is tried.
  for (const image of images.slice(0, 3)) {
    const count = await countWith(engine, volume, base, image);
    if (count !== 'no git') return count;
  }
  return null;
}

async function countWith(
  engine: DockerEngine,
  volume: string,
  base: string,
  image: ImageSummary,
): Promise<number | null | 'no git'> {
  const script = [
    // 127 tells an image without git from a volume without a repository (3).
    'command -v git >/dev/null || exit 127',
    `git config --global --add safe.directory '*' || exit 3`,
    `cd ${REPO_MOUNT} || exit 3`,
    'git rev-parse --git-dir >/dev/null 2>&1 || exit 3',
    unmergedCountScript(base),
  ].join('\n');
  const name = `claude-tui-count-${volume}-${process.pid}`.slice(0, 120);
  try {
    await engine.createContainer(name, {
      Image: image.Id,
      User: 'root',
      Entrypoint: ['sh', '-c'],
      Cmd: [script],
      // Found by label like all we make, should this process die before removing it.
      Labels: managedLabels('git-look'),
      HostConfig: {
        // It reads what the agent wrote: no network, no capability, few processes.
        NetworkMode: 'none',
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 64,
        Memory: 512 * 1024 * 1024,
        Mounts: [{ Type: 'volume', Source: volume, Target: REPO_MOUNT, ReadOnly: true }],
      },
    });
    await engine.startContainer(name);
    const result = await waitForExit(engine, name);
    if (result.exitCode === 127) return 'no git';
    if (result.exitCode !== 0) return null;
    const count = Number(result.output.trim().split('\n').pop());
    return Number.isInteger(count) ? count : null;
  } catch {
    return null;
  } finally {
    await engine.removeContainer(name).catch(() => undefined);
  }
}

async function waitForExit(
  engine: DockerEngine,
  name: string,
): Promise<{ exitCode: number; output: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await engine.inspectContainer(name);
    if (state && !state.State.Running && state.State.Status !== 'created') {
      return { exitCode: state.State.ExitCode, output: await engine.containerLogs(name, 20) };
    }
    if (Date.now() > deadline) throw new Error('counting commits took too long');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
