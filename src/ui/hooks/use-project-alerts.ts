import { useEffect, useRef, type Dispatch } from 'react';
import type { ProjectStatus } from '../../project/status.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import type { Action } from '../state.js';

/**
 * The files behind a project's alerts (policy files, files that run on the host) live on the host
 * and change without a Docker event, so they are read again every few seconds: only small files
 * and a stat of each watched path, never a process or a Docker call.
 */
const ALERTS_EVERY_MS = 5000;

export function useProjectAlerts(
  domain: DashboardDomain,
  projects: readonly ProjectStatus[],
  dispatch: Dispatch<Action>,
): { readNow: (projectDir: string) => void } {
  const dirs = useRef<string[]>([]);
  dirs.current = projects.map((p) => p.dir);
  const alive = useRef(true);
  const read = useRef((dir: string) => {
    domain.projectAlerts(dir).then(
      (alerts) => {
        if (alive.current) dispatch({ type: 'alerts-read', projectDir: dir, alerts });
      },
      // A folder that is gone, or a record that cannot be read: the status line of an action says
      // it when the person acts; the list just shows no alert.
      () => undefined,
    );
  });
  const key = dirs.current.join('\n');
  useEffect(() => {
    for (const dir of dirs.current) read.current(dir);
  }, [key]);
  useEffect(() => {
    alive.current = true;
    const timer = setInterval(() => {
      for (const dir of dirs.current) read.current(dir);
    }, ALERTS_EVERY_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, []);
  return { readNow: (dir) => read.current(dir) };
}
