import { EngineError, UserError } from '../errors.js';
import type { DockerEngine } from '../docker/engine.js';
import { execOnTerminal, type Terminal } from '../docker/exec-on-terminal.js';
import { streamExec } from '../docker/exec.js';
import { AGENT_USER, WORKSPACE } from './container-specs.js';
import type { ProjectIdentity } from './identity.js';

/**
 * Runs a command as `claude` in /workspace of the project's agent container, on the caller's
 * terminal, and returns its exit code. The happy path makes no extra call: only when the Engine
 * refuses is the project looked at, to say what is wrong and what to do.
 */
export async function execInAgent(
  engine: DockerEngine,
  project: ProjectIdentity,
  command: readonly string[],
  terminal: Terminal,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const tty = Boolean(terminal.stdin.isTTY && terminal.stdout.isTTY);
  try {
    return await execOnTerminal(
      engine,
      {
        container: project.names.agent,
        command,
        user: AGENT_USER,
        workingDir: WORKSPACE,
        env: tty && env.TERM ? [`TERM=${env.TERM}`] : [],
        tty,
      },
      terminal,
    );
  } catch (error) {
    if (error instanceof EngineError) {
      throw (
        (await agentUnavailable(engine, project)) ??
        new UserError(`The Docker Engine refused to run the command: ${error.message}`)
      );
    }
    throw error;
  }
}

/** Why the project's agent container cannot take commands, or undefined when it can. */
export async function agentUnavailable(
  engine: DockerEngine,
  project: ProjectIdentity,
): Promise<UserError | undefined> {
  const dir = project.dir;
  const agent = await engine.inspectContainer(project.names.agent);
  if (!agent) {
    const gateway = await engine.inspectContainer(project.names.gateway);
    return new UserError(
      gateway
        ? `The agent container of ${dir} is missing (removed outside claude-tui?).`
        : `The project ${dir} is not up.`,
      `Run \`claude-tui up ${dir}\` first.`,
    );
  }
  if (!agent.State.Running || agent.State.Restarting) {
    return new UserError(
      `The agent container of ${dir} is ${agent.State.Restarting ? 'restarting' : `stopped (${agent.State.Status})`}.`,
      `Run \`claude-tui up ${dir}\` to start it.`,
    );
  }
  return undefined;
}

/**
 * Streams a long-running command's output as `claude` in /workspace of the agent container, cut
 * into records that each end with `end`; a record is passed on once it is whole.
 */
export function streamRecordsFromAgent(
  engine: DockerEngine,
  project: ProjectIdentity,
  command: string[],
  end: string,
  onRecord: (record: string) => void,
): { done: Promise<void>; stop: () => void } {
  return streamRecords(
    engine,
    { container: project.names.agent, workingDir: WORKSPACE },
    command,
    end,
    onRecord,
  );
}

/** The same in any container of ours, as `claude`. */
export function streamRecords(
  engine: DockerEngine,
  place: { container: string; workingDir: string },
  command: string[],
  end: string,
  onRecord: (record: string) => void,
): { done: Promise<void>; started: Promise<void>; stop: () => void } {
  let buffer = '';
  const stream = streamExec(engine, { ...place, command, user: AGENT_USER }, (text) => {
    buffer += text;
    let at: number;
    while ((at = buffer.indexOf(end)) >= 0) {
      onRecord(buffer.slice(0, at));
      buffer = buffer.slice(at + end.length);
    }
  });
  return { done: stream.done, started: stream.started, stop: () => stream.close() };
}
