import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import type { DashboardDomain } from '../dashboard-domain.js';
import { describeError } from '../describe-error.js';
import type { Action } from '../state.js';

/** How often to look for the Engine again while it is away. */
const RECONNECT_MS = 2000;
/** Firewall states read at the same time (each a read of a gateway's log, or an exec in it). */
const FIREWALL_READS_AT_ONCE = 6;
/** Firewall states on their way to a final one, and how often and long to look again. */
const SETTLING = /^(unprotected: starting|unknown:)/;
const SETTLE_MS = 1000;
const SETTLE_LOOKS = 15;
/** Docker sends bursts (create, start, connect...): one refresh per burst. */
const BURST_MS = 120;

/**
 * Keeps the project list current: read once, then again on each burst of Docker events about
 * what claude-tui owns (never by polling every project). When the Engine goes away a banner says
 * so, and everything is read again when it is back.
 */
export function useEngineData(domain: DashboardDomain, dispatch: Dispatch<Action>): { refresh: () => void } {
  const alive = useRef(true);
  const lookAgain = useRef(new Set<NodeJS.Timeout>());
  // Reads can overlap (the first one and an event's): an answer older than the one shown is dropped.
  const asked = useRef(0);
  const shown = useRef(0);
  const refresh = useCallback(() => {
    void (async () => {
      const ticket = ++asked.current;
      try {
        const projects = await domain.listProjects();
        if (!alive.current || ticket < shown.current) return;
        shown.current = ticket;
        dispatch({ type: 'projects-loaded', projects });
        // One exec per gateway: a few at a time, in list order, so the first rows fill in first
        // and forty projects do not start forty execs at once.
        const queue = projects.filter((p) => p.gateway?.state === 'running');
        const read = async (dir: string, attempt: number) => {
          if (!alive.current) return;
          const status = await domain
            .firewallStatus(dir)
            .catch((error: unknown) => `unknown: ${describeError(error)}`);
          if (!alive.current) return;
          dispatch({ type: 'firewall-read', projectDir: dir, status });
          // A gateway that has just started writes its status a moment later, with no Docker
          // event to say so: look again until it has.
          if (SETTLING.test(status) && attempt < SETTLE_LOOKS) {
            const timer = setTimeout(() => {
              lookAgain.current.delete(timer);
              void read(dir, attempt + 1);
            }, SETTLE_MS);
            lookAgain.current.add(timer);
          }
        };
        const next = async (): Promise<void> => {
          const project = queue.shift();
          if (!project || !alive.current) return;
          await read(project.dir, 1);
          return next();
        };
        await Promise.all(Array.from({ length: FIREWALL_READS_AT_ONCE }, next));
      } catch (error) {
        if (alive.current)
          dispatch({ type: 'status', status: { kind: 'error', text: describeError(error) } });
      }
    })();
  }, [domain, dispatch]);

  useEffect(() => {
    alive.current = true;
    let stream: { close: () => void } | undefined;
    let retry: NodeJS.Timeout | undefined;
    let burst: NodeJS.Timeout | undefined;
    const connect = () => {
      domain.ping().then(
        () => {
          if (!alive.current) return;
          dispatch({ type: 'engine', down: null });
          refresh();
          stream = domain.followEngine(
            () => {
              clearTimeout(burst);
              burst = setTimeout(refresh, BURST_MS);
            },
            (error) => lost(error ?? new Error('the event stream ended')),
          );
        },
        (error: unknown) => lost(error),
      );
    };
    const lost = (error: unknown) => {
      if (!alive.current) return;
      stream = undefined;
      dispatch({ type: 'engine', down: describeError(error) });
      retry = setTimeout(connect, RECONNECT_MS);
    };
    connect();
    return () => {
      alive.current = false;
      stream?.close();
      clearTimeout(retry);
      clearTimeout(burst);
      for (const timer of lookAgain.current) clearTimeout(timer);
      lookAgain.current.clear();
    };
  }, [domain, dispatch, refresh]);

  return { refresh };
}
