import { useEffect, useRef, useState } from 'react';
import type { ProjectBridge } from '../../app/project-bridge.js';
import type { BridgeCall } from '../../bridge/call-log.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import { describeError } from '../describe-error.js';

/**
 * The bridge's calls are lines appended to a file on the host, with no Docker event to say so:
 * its end is read this often while the screen is open (a read of a few kilobytes, no process).
 */
const CALLS_EVERY_MS = 1000;
/** The approved policy (networks, the bridge) changes only on an approval: looked at now and then. */
const POLICY_EVERY_MS = 5000;
/** Compose starts and stops containers in bursts: one read per burst. */
const BURST_MS = 120;

export interface ProjectBridgeData {
  view: ProjectBridge | null;
  calls: BridgeCall[];
  error: string | null;
}

/**
 * Keeps a project's networks, sidecars and bridge calls current while the screen is open:
 * sidecars on each burst of Docker events about the compose project's containers, calls from the
 * end of the call log every second, the policy every few seconds.
 */
export function useProjectBridge(domain: DashboardDomain, projectDir: string): ProjectBridgeData {
  const [view, setView] = useState<ProjectBridge | null>(null);
  const [calls, setCalls] = useState<BridgeCall[]>([]);
  const [error, setError] = useState<string | null>(null);
  const shownCalls = useRef('');
  const showCalls = (next: BridgeCall[]) => {
    // Read every second: an unchanged log must not cost a frame.
    const key = JSON.stringify(next);
    if (key === shownCalls.current) return;
    shownCalls.current = key;
    setCalls(next);
  };

  useEffect(() => {
    let alive = true;
    const readAll = async () => {
      try {
        const next = await domain.projectBridge(projectDir);
        if (!alive) return;
        setView((before) => (JSON.stringify(before) === JSON.stringify(next) ? before : next));
        showCalls(next.calls);
        setError(null);
      } catch (failure) {
        if (alive) setError(describeError(failure));
      }
    };
    const readCalls = async () => {
      const next = await domain.bridgeCalls(projectDir).catch(() => undefined);
      if (alive && next) showCalls(next);
    };
    void readAll();
    const policyTimer = setInterval(() => void readAll(), POLICY_EVERY_MS);
    const callsTimer = setInterval(() => void readCalls(), CALLS_EVERY_MS);
    return () => {
      alive = false;
      clearInterval(policyTimer);
      clearInterval(callsTimer);
    };
  }, [domain, projectDir]);

  const composeProject = view?.sidecars?.composeProject;
  useEffect(() => {
    if (!composeProject) return undefined;
    let burst: NodeJS.Timeout | undefined;
    let alive = true;
    const reread = () => {
      clearTimeout(burst);
      burst = setTimeout(() => {
        domain.projectBridge(projectDir).then(
          (next) => alive && setView(next),
          () => undefined,
        );
      }, BURST_MS);
    };
    // A broken stream is the Engine going away: the dashboard's banner says so, and the policy
    // reading every few seconds keeps the list from going stale meanwhile.
    const stream = domain.followCompose(projectDir, composeProject, reread, () => undefined);
    return () => {
      alive = false;
      clearTimeout(burst);
      stream.close();
    };
  }, [domain, projectDir, composeProject]);

  return { view, calls, error };
}
