import { useEffect } from 'react';
import type { DashboardDomain } from '../dashboard-domain.js';
import type { Action } from '../state.js';

/** Counts change only when the agent commits or a merge lands: a look every few seconds is plenty. */
const EVERY_MS = 5000;

/**
 * Keeps the selected project's git sessions' counts (`3 ahead, 1 landed`) fresh while the list is
 * shown: read at once when it shows (back from the merge screen, say), then every few seconds.
 */
export function useGitCounts(
  domain: DashboardDomain,
  dispatch: (action: Action) => void,
  projectDir: string | null,
  gitSessions: readonly string[],
  visible: boolean,
): void {
  const names = gitSessions.join('\n');
  useEffect(() => {
    if (!projectDir || !names || !visible) return;
    let stopped = false;
    const read = () =>
      domain.gitCounts(projectDir, names.split('\n')).then(
        (counts) => {
          if (!stopped) dispatch({ type: 'git-counts', projectDir, counts });
        },
        () => undefined,
      );
    void read();
    const timer = setInterval(() => void read(), EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [domain, dispatch, projectDir, names, visible]);
}
