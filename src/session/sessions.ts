import type { DockerEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';
import { AGENT_USER, WORKSPACE } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';
import { parseSessionList, type SessionInfo } from './session-state.js';
import { gitTarget, workspaceTarget, type SessionTarget } from './session-target.js';
import { execText } from '../docker/exec.js';
import { SessionEndReader, sessionEndOf, type SessionEnd, type SessionEndWait } from './wait-session.js';
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

export interface StartedSession {
  name: string;
  /** With `waitMaxBytes`: the session's end, told by the same exec that started it. */
  end?: SessionEndWait;
}

/**
 * Starts a session (named, or the first free sN the script picks): one exec, whose stdin carries
 * the credentials into a tmpfs file only the agent's user reads, and from there to the agent alone
 * (never an argument, an environment variable of the container or of tmux, or a file in a volume).
 * With `waitMaxBytes` the same exec goes on to wait for the session's end (claude-tui run): each
 * exec costs the Engine a process and a round trip.
 */
export async function startSession(
  engine: DockerEngine,
  target: SessionTarget,
  name: string | undefined,
  command: readonly string[],
  size: { cols: number; rows: number },
  credentials: readonly SessionCredential[] = [],
  options: { waitMaxBytes?: number } = {},
): Promise<StartedSession> {
  const wait = options.waitMaxBytes;
  let stdout = Buffer.alloc(0);
  let stderr = '';
  let started: ((name: string) => void) | undefined;
  const named = new Promise<string>((resolve) => (started = resolve));
  let sessionName: string | undefined;
  const reader = new SessionEndReader(wait ?? 0);
  let answered: ((end: SessionEnd) => void) | undefined;
  const answer = new Promise<SessionEnd>((resolve) => (answered = resolve));
  const process = await engine.startExec(
    {
      container: target.container,
      command: [SESSION_SCRIPT, 'start', name ?? '-', String(size.cols), String(size.rows), '--', ...command],
      user: AGENT_USER,
      workingDir: target.workdir,
      env: wait ? [`CLAUDE_TUI_WAIT=${wait}`] : [],
    },
    (stream, data) => {
      if (stream === 'stderr') {
        stderr += data.toString('utf8');
        return;
      }
      if (sessionName === undefined) {
        stdout = Buffer.concat([stdout, data]);
        const newline = stdout.indexOf(10);
        if (newline < 0) return;
        sessionName = /^session (\S+)$/.exec(stdout.subarray(0, newline).toString('utf8'))?.[1] ?? '';
        started?.(sessionName);
        data = stdout.subarray(newline + 1);
      }
      if (wait && data.length && reader.push(data)) answered?.(reader.result()!);
    },
  );
  process.stdin.write(credentialLines(credentials) + 'end\n');
  // A start that waits keeps its stdin open: the script learns from it closing that nobody waits.
  if (!wait) process.stdin.end();
  const exited = process.exit;
  const first = await Promise.race([named, exited.then((code) => ({ code }))]);
  if (typeof first !== 'string' || !first) {
    const code = typeof first === 'string' ? await exited : first.code;
    throw startFailed(name ?? 'the session', code, stderr);
  }
  if (!wait) {
    await exited;
    return { name: first };
  }
  return { name: first, end: sessionEndOf(Promise.resolve(process), reader, answer, first, () => stderr) };
}

function startFailed(name: string, exitCode: number | null, stderr: string): UserError {
  if (exitCode === 3) {
    return new UserError(
      `A session named ${name} is already running.`,
      'Pick another name with --name, or attach to it.',
    );
  }
  if (exitCode === 4) {
    return new UserError(
      `A git session is named ${name}.`,
      `Pick another name, or start it again with \`claude-tui start --git --name ${name}\`.`,
    );
  }
  return new UserError(`The session could not start: ${stderr.trim() || `exit code ${exitCode}`}`);
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
