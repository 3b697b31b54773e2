import { UserError } from '../errors.js';
import type { DockerEngine } from '../docker/engine.js';
import { execText } from '../docker/exec.js';
import { RUNTIME_STATE_DIR } from './container-specs.js';

/**
 * Waits until the container's entrypoint has finished setting up (it writes `ready` to a tmpfs
 * that starts empty on every start). A container that stops instead is reported with its log.
 */
export async function waitUntilReady(
  engine: DockerEngine,
  name: string,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const restartsBefore = (await engine.inspectContainer(name))?.RestartCount ?? 0;
  for (;;) {
    const probe = await execText(engine, name, ['test', '-s', `${RUNTIME_STATE_DIR}/ready`]).catch(
      () => undefined,
    );
    if (probe?.exitCode === 0) return;
    const state = await engine.inspectContainer(name);
    // A restart while starting means the entrypoint failed; the restart policy would loop on it.
    const crashed =
      state !== undefined &&
      (!state.State.Running || state.State.Restarting === true || state.RestartCount > restartsBefore);
    if (!state || crashed || Date.now() > deadline) {
      const logs = (await engine.containerLogs(name, 15)).trimEnd();
      const why = !state
        ? 'was removed'
        : crashed
          ? `stopped (exit ${state.State.ExitCode})`
          : 'did not become ready in time';
      throw new UserError(
        `The container ${name} ${why} while starting.${logs ? `\nIts last log lines:\n${logs.replace(/^/gm, '    ')}` : ''}`,
        'Nothing was left half-done. Check the log above, then run `claude-tui up` again.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
