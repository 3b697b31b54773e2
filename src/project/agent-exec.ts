import { UserError } from '../errors.js';
import type { DockerEngine } from '../docker/engine.js';
import { AGENT_USER, WORKSPACE } from './container-specs.js';
import type { ProjectIdentity } from './identity.js';

/** The project is not up, or its agent container is gone or stopped: say which, and what to do. */
export async function assertAgentRunning(engine: DockerEngine, project: ProjectIdentity): Promise<void> {
  const agent = await engine.inspectContainer(project.names.agent);
  const dir = project.dir;
  if (!agent) {
    const gateway = await engine.inspectContainer(project.names.gateway);
    throw new UserError(
      gateway
        ? `The agent container of ${dir} is missing (removed outside claude-tui?).`
        : `The project ${dir} is not up.`,
      `Run \`claude-tui up ${dir}\` first.`,
    );
  }
  if (!agent.State.Running) {
    throw new UserError(
      `The agent container of ${dir} is ${agent.State.Restarting ? 'restarting' : `stopped (${agent.State.Status})`}.`,
      `Run \`claude-tui up ${dir}\` to start it.`,
    );
  }
}

/** `docker exec` arguments that run a command as `claude` in /workspace of the project. */
export function dockerExecArgs(
  project: ProjectIdentity,
  command: readonly string[],
  terminal: { stdinIsTTY: boolean; stdoutIsTTY: boolean; term?: string },
): string[] {
  const args = ['exec', '-i'];
  if (terminal.stdinIsTTY && terminal.stdoutIsTTY) args.push('-t');
  args.push('-u', AGENT_USER, '-w', WORKSPACE);
  if (terminal.term) args.push('-e', `TERM=${terminal.term}`);
  args.push(project.names.agent, ...command);
  return args;
}
