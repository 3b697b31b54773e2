import { useEffect, useRef, type Dispatch } from 'react';
import type { ProjectStatus } from '../../project/status.js';
import { describeEvent } from '../../session/notify.js';
import { isNotable } from '../../session/watch-sessions.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import { attentionKey, type Action } from '../state.js';

/**
 * One session watcher per running project: each change of a state file is reported (through the
 * project's background watcher, or the container itself), so the dashboard learns of a session
 * waiting or done within a second, without polling. A change worth telling is shown in the status
 * line and marked on the session until it is looked at.
 */
export function useSessionWatchers(
  domain: DashboardDomain,
  projects: readonly ProjectStatus[],
  dispatch: Dispatch<Action>,
  onNotable: (text: string) => void,
  onProblem: (text: string) => void,
): void {
  const watchers = useRef(new Map<string, { stop: () => void }>());
  const notify = useRef(onNotable);
  notify.current = onNotable;
  const problem = useRef(onProblem);
  problem.current = onProblem;

  const running = projects.filter((p) => p.agent?.state === 'running').map((p) => p.dir);
  const key = running.join('\n');
  useEffect(() => {
    const current = watchers.current;
    for (const [dir, watcher] of current) {
      if (running.includes(dir)) continue;
      watcher.stop();
      current.delete(dir);
      dispatch({ type: 'sessions-listed', projectDir: dir, sessions: [] });
    }
    for (const dir of running.filter((dir) => !current.has(dir))) {
      const name = projects.find((p) => p.dir === dir)?.name ?? dir;
      const watcher = domain.watchSessions(
        dir,
        (sessions) => dispatch({ type: 'sessions-listed', projectDir: dir, sessions }),
        (change) => {
          if (!isNotable(change)) return;
          const { session } = change;
          dispatch({ type: 'attention', key: attentionKey(dir, session.name) });
          notify.current(
            describeEvent({
              project: dir,
              projectName: name,
              session: session.name,
              state: session.state,
              exitCode: session.exitCode,
              at: new Date().toISOString(),
            }),
          );
        },
        // The watcher ends with the container; the next event that brings it back starts another.
        () => current.delete(dir),
        (message) => problem.current(message),
      );
      current.set(dir, watcher);
    }
    // Re-run only when the set of running projects changes (`key`), not on every refresh.
  }, [key, domain, dispatch]);

  useEffect(
    () => () => {
      for (const watcher of watchers.current.values()) watcher.stop();
      watchers.current.clear();
    },
    [],
  );
}
