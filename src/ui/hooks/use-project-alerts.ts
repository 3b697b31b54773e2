import { useEffect, useRef, type Dispatch } from 'react';
import type { ProjectStatus } from '../../project/status.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import type { Action } from '../state.js';

/**
 * The files behind a project's alerts (policy files, files that run on the host) live on the host
 * and change without a Docker event, so they are read again now and then: the selected project
 * every few seconds, every project twice a minute, one at a time, never a process or a Docker
 * call. The first reading waits until the first frame is drawn, so it never delays it.
 */
const SELECTED_EVERY_MS = 5000;
const ALL_EVERY_MS = 30_000;
const FIRST_AFTER_MS = 1500;

export function useProjectAlerts(
  domain: DashboardDomain,
  projects: readonly ProjectStatus[],
  selectedDir: string | null,
  dispatch: Dispatch<Action>,
): { readNow: (projectDir: string) => void } {
  const dirs = useRef<string[]>([]);
  dirs.current = projects.map((p) => p.dir);
  const selected = useRef(selectedDir);
  selected.current = selectedDir;
  const alive = useRef(true);
  const read = useRef(async (dir: string) => {
    try {
      const alerts = await domain.projectAlerts(dir);
      if (alive.current) dispatch({ type: 'alerts-read', projectDir: dir, alerts });
    } catch {
      // A folder that is gone, or a record that cannot be read: the person is told when they act
      // on the project; the list just shows no alert.
    }
  });
  const readAll = useRef(async () => {
    for (const dir of [...dirs.current]) {
      if (!alive.current) return;
      await read.current(dir);
    }
  });
  const started = useRef(false);
  const key = dirs.current.join('\n');
  useEffect(() => {
    // Projects that appear later are read when they do; the first list waits for the first frame.
    if (started.current) void readAll.current();
  }, [key]);
  useEffect(() => {
    alive.current = true;
    const first = setTimeout(() => {
      started.current = true;
      void readAll.current();
    }, FIRST_AFTER_MS);
    const often = setInterval(() => {
      if (started.current && selected.current) void read.current(selected.current);
    }, SELECTED_EVERY_MS);
    const seldom = setInterval(() => void readAll.current(), ALL_EVERY_MS);
    return () => {
      alive.current = false;
      clearTimeout(first);
      clearInterval(often);
      clearInterval(seldom);
    };
  }, []);
  return { readNow: (dir) => void read.current(dir) };
}
