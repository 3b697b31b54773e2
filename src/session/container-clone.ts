import type { DockerEngine } from '../docker/engine.js';
import type { CloneGitResult, SessionClone } from '../git/types.js';
import { AGENT_USER } from '../project/container-specs.js';
import type { SessionTarget } from './session-target.js';

/**
 * A git session's clone, reached through execs in a container that mounts it: git runs there, the
 * bytes (a pack in, a bundle out) travel over the exec connection, so it works the same on an
 * Engine on another machine.
 */
export function containerClone(
  engine: DockerEngine,
  place: Pick<SessionTarget, 'container' | 'workdir'>,
  user: string = AGENT_USER,
): SessionClone {
  return {
    async git(args, options = {}): Promise<CloneGitResult> {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const started: { pause?: () => void; resume?: () => void } = {};
      const process = await engine.startExec(
        {
          container: place.container,
          command: ['git', ...args],
          user,
          workingDir: place.workdir,
          stdin: options.stdin !== undefined,
        },
        (stream, data) => {
          if (stream === 'stderr') return void stderr.push(data);
          const out = options.stdout;
          if (!out) return void stdout.push(data);
          if (!out.write(data)) {
            started.pause?.();
            out.once('drain', () => started.resume?.());
          }
        },
      );
      started.pause = () => process.pause();
      started.resume = () => process.resume();
      if (options.stdin) options.stdin.pipe(process.stdin);
      const exitCode = await process.exit;
      return {
        exitCode: exitCode ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
    },
  };
}
