import type { DockerEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';
import { AGENT_USER, WORKSPACE } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';
import { parseSessionList, type SessionInfo } from './session-state.js';
import { gitTarget, workspaceTarget, type SessionTarget } from './session-target.js';
import { execText } from '../docker/exec.js';
import { credentialLines, type SessionCredential } from '../auth/session-credentials.js';

/** The script in the image that manages sessions (images/session.sh). */
export const SESSION_SCRIPT = '/usr/local/lib/claude-tui/session';
export const SESSIONS_DIR = '/home/claude/.claude-tui/sessions';

/** How commands in the agent container run: as the agent's user, in the workspace. */
export const asClaude = { user: AGENT_USER, workingDir: WORKSPACE };

export async function listSessions(engine: DockerEngine, project: ProjectIdentity): Promise<SessionInfo[]> {
  const result = await execText(engine, project.names.agent, [SESSION_SCRIPT, 'list'], asClaude);
  if (result.exitCode !== 0) throw new UserError(`Could not list the sessions: ${result.stderr.trim()}`);
  return parseSessionList(result.stdout, Date.now());
}

export async function findSession(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
): Promise<SessionInfo> {
  const session = (await listSessions(engine, project)).find((s) => s.name === name);
  if (!session) {
    throw new UserError(
      `There is no session named ${name} in ${project.dir}.`,
      'See `claude-tui sessions` for the sessions there are.',
    );
  }
  return session;
}

/** Where a listed session runs. */
export function targetOf(
  project: ProjectIdentity,
  session: Pick<SessionInfo, 'name' | 'kind'>,
): SessionTarget {
  return session.kind === 'git' ? gitTarget(project, session.name) : workspaceTarget(project);
}

export async function startSession(
  engine: DockerEngine,
  target: SessionTarget,
  name: string,
  command: readonly string[],
  size: { cols: number; rows: number },
  credentials: readonly SessionCredential[] = [],
): Promise<void> {
  // The credentials go over the exec's stdin into a tmpfs file only the agent's user reads, and
  // from there to the agent alone: never an argument, an environment variable of the container or
  // of tmux, or a file in a volume.
  const result = await execText(
    engine,
    target.container,
    [SESSION_SCRIPT, 'start', name, String(size.cols), String(size.rows), '--', ...command],
    { user: AGENT_USER, workingDir: target.workdir, input: credentialLines(credentials) },
  );
  if (result.exitCode === 3) {
    throw new UserError(
      `A session named ${name} is already running.`,
      'Pick another name with --name, or attach to it.',
    );
  }
  if (result.exitCode === 4) {
    throw new UserError(
      `A git session is named ${name}.`,
      `Pick another name, or start it again with \`claude-tui start --git --name ${name}\`.`,
    );
  }
  if (result.exitCode !== 0) throw new UserError(`The session could not start: ${result.stderr.trim()}`);
}

export async function stopSession(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
): Promise<void> {
  const session = await findSession(engine, project, name);
  if (!session.running) return;
  const target = targetOf(project, session);
  await execText(engine, target.container, ['tmux', 'kill-session', '-t', `=${name}`], { user: AGENT_USER });
}

/** The session's current screen, as text, from the tmux pane. */
export async function peekSession(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
): Promise<string> {
  const session = await findSession(engine, project, name);
  if (!session.running) throw new UserError(`The session ${name} has ended (${describeEnd(session)}).`);
  return captureScreen(engine, targetOf(project, session), name);
}

/** The pane's text with no checks first: one exec. */
export async function captureScreen(
  engine: DockerEngine,
  target: SessionTarget,
  name: string,
): Promise<string> {
  const result = await execText(engine, target.container, ['tmux', 'capture-pane', '-p', '-t', `=${name}:`], {
    user: AGENT_USER,
  });
  if (result.exitCode !== 0)
    throw new UserError(`Could not read the screen of ${name}: ${result.stderr.trim()}`);
  return result.stdout.replace(/\n+$/, '\n');
}

export function describeEnd(session: SessionInfo): string {
  return session.exitCode === null ? 'it was stopped' : `the agent exited with code ${session.exitCode}`;
}
