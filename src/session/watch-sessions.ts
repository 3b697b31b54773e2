import type { DockerEngine } from '../docker/engine.js';
import { AGENT_USER, WORKSPACE } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';
import { parseSessionList, type SessionInfo, type SessionState } from './session-state.js';
import { SESSION_SCRIPT } from './sessions.js';

export interface StateChange {
  session: SessionInfo;
  from: SessionState | undefined;
}

/**
 * Follows the project's sessions: the container prints the list whenever a state file changes
 * (checked four times a second, in the container), and states that depend on output timing are
 * judged again every second here. `onChange` hears every change after the first look.
 */
export function watchSessions(
  engine: DockerEngine,
  project: ProjectIdentity,
  onChange: (change: StateChange) => void,
  onList?: (sessions: SessionInfo[]) => void,
): { done: Promise<void>; stop: () => void } {
  let lastText = '';
  let buffer = '';
  let known: Map<string, SessionState> | undefined;
  const judge = () => {
    const sessions = parseSessionList(lastText, Date.now());
    onList?.(sessions);
    const next = new Map(sessions.map((s) => [s.name, s.state] as const));
    if (known) {
      for (const session of sessions) {
        const from = known.get(session.name);
        if (from !== session.state) onChange({ session, from });
      }
    }
    known = next;
  };
  const stream = engine.execStream(
    {
      container: project.names.agent,
      command: [SESSION_SCRIPT, 'watch'],
      user: AGENT_USER,
      workingDir: WORKSPACE,
      env: [],
    },
    (text) => {
      buffer += text;
      let end: number;
      while ((end = buffer.indexOf('\n--\n')) >= 0 || buffer.startsWith('--\n')) {
        const block = buffer.startsWith('--\n') ? '' : buffer.slice(0, end);
        buffer = buffer.startsWith('--\n') ? buffer.slice(3) : buffer.slice(end + 4);
        lastText = block;
        judge();
      }
    },
  );
  const timer = setInterval(judge, 1000);
  return {
    done: stream.done.finally(() => clearInterval(timer)),
    stop: () => {
      clearInterval(timer);
      stream.close();
    },
  };
}

/** The changes worth telling the person about: the agent needs them, or is done. */
export function isNotable(change: StateChange): boolean {
  const { state } = change.session;
  return (
    change.from !== undefined &&
    change.from !== state &&
    (state === 'waiting' || state === 'idle' || state === 'exited')
  );
}
