import type { DockerEngine } from '../docker/engine.js';
import { streamRecordsFromAgent } from '../project/agent-exec.js';
import type { ProjectIdentity } from '../project/identity.js';
import { followSessionFeed } from './session-feed.js';
import { parseSessionList, type SessionInfo, type SessionState } from './session-state.js';
import { SESSION_SCRIPT } from './sessions.js';

export interface StateChange {
  session: SessionInfo;
  from: SessionState | undefined;
}

export interface SessionWatcher {
  done: Promise<void>;
  stop: () => void;
}

/** How often states that depend on output timing are judged again. */
const JUDGE_EVERY_MS = 1000;

/**
 * Turns each session list the container prints (`session list` text) into the parsed list and
 * the changes of state since the last one. States judged by output timing (agents without hooks)
 * can change with no new list, so they are judged again every second while there are any.
 */
export function sessionJudge(
  onChange: (change: StateChange) => void,
  onList?: (sessions: SessionInfo[]) => void,
): { see: (listText: string) => void; stop: () => void } {
  let lastText: string | undefined;
  let known: Map<string, SessionState> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const judge = () => {
    if (lastText === undefined || stopped) return;
    const sessions = parseSessionList(lastText, Date.now());
    onList?.(sessions);
    if (known) {
      for (const session of sessions) {
        const from = known.get(session.name);
        if (from !== session.state) onChange({ session, from });
      }
    }
    known = new Map(sessions.map((s) => [s.name, s.state] as const));
    const timed = sessions.some((s) => s.source === 'activity');
    if (timed && !timer) timer = setInterval(judge, JUDGE_EVERY_MS);
    if (!timed && timer) timer = void clearInterval(timer);
  };
  return {
    see(listText) {
      lastText = listText;
      judge();
    },
    // Lists may still arrive from a read under way; once stopped, nobody hears of them.
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/**
 * The project's session lists through one exec in the agent container, which prints the list
 * whenever a state file changes (images/session.sh `watch`).
 */
export function watchSessionLists(
  engine: DockerEngine,
  project: ProjectIdentity,
  onText: (listText: string) => void,
): SessionWatcher {
  // Each list ends with a line `--` (an empty list is an empty line before it).
  return streamRecordsFromAgent(engine, project, [SESSION_SCRIPT, 'watch'], '\n--\n', onText);
}

/**
 * Follows the project's sessions through an exec of its own: `onChange` hears every change after
 * the first look; `onText` gets each list as printed, for passing on.
 */
export function watchSessions(
  engine: DockerEngine,
  project: ProjectIdentity,
  onChange: (change: StateChange) => void,
  onList?: (sessions: SessionInfo[]) => void,
  onText?: (listText: string) => void,
): SessionWatcher {
  const judge = sessionJudge(onChange, onList);
  const lists = watchSessionLists(engine, project, (text) => {
    onText?.(text);
    judge.see(text);
  });
  return {
    done: lists.done.finally(judge.stop),
    stop: () => {
      judge.stop();
      lists.stop();
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

/**
 * Follows the project's sessions the cheapest way there is: from the feed its background watcher
 * keeps on this host (no process in the container), and through an exec of its own while there is
 * no such watcher (no session has run lately) or once it ends. The judge stays the same across the
 * switch, so no change is told twice or lost.
 */
export function followSessions(
  engine: DockerEngine,
  project: ProjectIdentity,
  stateDir: string,
  onChange: (change: StateChange) => void,
  onList?: (sessions: SessionInfo[]) => void,
  onProblem?: (message: string) => void,
): SessionWatcher {
  const judge = sessionJudge(onChange, onList);
  let stopped = false;
  let current: { stop: () => void } | undefined;
  const run = async () => {
    const feed = await followSessionFeed(stateDir, judge.see, (reason) =>
      onProblem?.(
        `The background watcher of ${project.dir} could not write the session list (${reason}); following the container directly.`,
      ),
    );
    if (feed) {
      current = feed;
      if (stopped) feed.stop();
      await feed.done;
    }
    if (stopped) return;
    const own = watchSessionLists(engine, project, judge.see);
    current = own;
    await own.done;
  };
  return {
    done: run().finally(judge.stop),
    stop: () => {
      stopped = true;
      judge.stop();
      current?.stop();
    },
  };
}
