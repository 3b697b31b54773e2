import { useCallback, useEffect, useRef, type Dispatch } from 'react';
import { DockerUnavailableError } from '../../errors.js';
import type { DashboardDomain } from '../dashboard-domain.js';
import { describeError } from '../describe-error.js';
import { retryDelay } from '../engine-backoff.js';
import type { Action } from '../state.js';

/** Firewall states read at the same time (each a read of a gateway's log, or an exec in it). */
const FIREWALL_READS_AT_ONCE = 6;
/** Firewall states on their way to a final one, and how often and long to look again. */
const SETTLING = /^(unprotected: starting|unknown:)/;
const SETTLE_MS = 1000;
const SETTLE_LOOKS = 15;
/** Docker sends bursts (create, start, connect...): one refresh per burst. */
const BURST_MS = 120;

/**
 * Keeps the project list current, Engine by Engine: each is read once, then again on each burst
 * of its Docker events about what claude-tui owns (never by polling every project). An Engine
 * that cannot be reached is marked so (with why and since when) and looked for again with
 * backoff; everything of it is read again when it is back. Each Engine goes its own way: a slow
 * or dead one never holds up another's projects.
 */
export function useEngineData(domain: DashboardDomain, dispatch: Dispatch<Action>): { refresh: () => void } {
  const alive = useRef(true);
  const lookAgain = useRef(new Set<NodeJS.Timeout>());
  // Reads can overlap (the first one and an event's): an answer older than the one shown is dropped.
  const asked = useRef(new Map<string, number>());
  const shown = useRef(new Map<string, number>());
  const reachable = useRef(new Set<string>());

  const readFirewalls = useCallback(
    async (dirs: string[]) => {
      // One exec per gateway: a few at a time, in list order, so the first rows fill in first
      // and forty projects do not start forty execs at once.
      const queue = [...dirs];
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
        const dir = queue.shift();
        if (dir === undefined || !alive.current) return;
        await read(dir, 1);
        return next();
      };
      await Promise.all(Array.from({ length: FIREWALL_READS_AT_ONCE }, next));
    },
    [domain, dispatch],
  );

  const refreshEngine = useCallback(
    (engine: string) => {
      void (async () => {
        const ticket = (asked.current.get(engine) ?? 0) + 1;
        asked.current.set(engine, ticket);
        try {
          const projects = await domain.listProjects(engine);
          if (!alive.current || ticket < (shown.current.get(engine) ?? 0)) return;
          shown.current.set(engine, ticket);
          dispatch({ type: 'projects-loaded', engine, projects });
          await readFirewalls(projects.filter((p) => p.gateway?.state === 'running').map((p) => p.dir));
        } catch (error) {
          // An Engine going away is said on its heading (or the banner), not in the status line.
          if (alive.current && !(error instanceof DockerUnavailableError))
            dispatch({ type: 'status', status: { kind: 'error', text: describeError(error) } });
        }
      })();
    },
    [domain, dispatch, readFirewalls],
  );

  const refresh = useCallback(() => {
    for (const engine of reachable.current) refreshEngine(engine);
  }, [refreshEngine]);

  useEffect(() => {
    alive.current = true;
    const stops: (() => void)[] = [];
    const follow = (engine: string, current: boolean) => {
      let stream: { close: () => void } | undefined;
      let retry: NodeJS.Timeout | undefined;
      let burst: NodeJS.Timeout | undefined;
      let failures = 0;
      let downSince: number | null = null;
      const connect = () => {
        domain.ping(engine).then(
          () => {
            if (!alive.current) return;
            failures = 0;
            downSince = null;
            reachable.current.add(engine);
            dispatch({ type: 'engine', engine, current, down: null });
            refreshEngine(engine);
            stream = domain.followEngine(
              engine,
              () => {
                clearTimeout(burst);
                burst = setTimeout(() => refreshEngine(engine), BURST_MS);
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
        reachable.current.delete(engine);
        downSince ??= Date.now();
        dispatch({ type: 'engine', engine, current, down: describeError(error), since: downSince });
        retry = setTimeout(connect, retryDelay(++failures));
      };
      connect();
      stops.push(() => {
        stream?.close();
        clearTimeout(retry);
        clearTimeout(burst);
      });
    };
    domain.engines().then(
      (engines) => {
        if (!alive.current) return;
        dispatch({ type: 'engines', engines });
        for (const engine of engines) follow(engine.id, engine.current);
      },
      (error: unknown) => dispatch({ type: 'status', status: { kind: 'error', text: describeError(error) } }),
    );
    return () => {
      alive.current = false;
      for (const stop of stops) stop();
      for (const timer of lookAgain.current) clearTimeout(timer);
      lookAgain.current.clear();
    };
  }, [domain, dispatch, refreshEngine]);

  return { refresh };
}
