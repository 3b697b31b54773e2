import type { DockerEngine } from '../docker/engine.js';
import { log } from '../log.js';
import { serveSocketUntilGone } from '../system/socket-service.js';
import type { BridgeCall } from './call-log.js';
import { writeCommandLinks, type BridgeRelayPaths } from './relay-files.js';
import { serveCall, type RunningCall } from './serve-call.js';
import { stillServed, type ServedBridge } from './served-bridge.js';

/**
 * The host side of the command bridge: the one process of a project that holds Docker access on
 * the bridge's behalf. It listens on a socket in a folder the agent containers mount, takes only
 * the bridge's closed protocol (frames.ts), and runs what the approved policy maps a command to.
 */
export interface BridgeRelayOptions {
  paths: BridgeRelayPaths;
  engine: DockerEngine;
  /**
   * What is served now (the approved bridge as the live bridge.yaml narrows it); cheap when
   * nothing changed, and the same object then (the relay asks at every call and every check).
   */
  policy: () => Promise<ServedBridge>;
  /** uid:gid a command without its own `user` runs as (the agent's). */
  defaultUser: string;
  record: (call: BridgeCall, planned: boolean) => void;
  /** The agent's user, when this runs as root: the socket becomes theirs. */
  owner?: { uid: number; gid: number };
  /** How often to look whether the socket is still ours and what is served changed. */
  checkEveryMs?: number;
  hangupGraceMs?: number;
}

/** Calls at once: plenty for an agent's use; a flood costs only this process its descriptors. */
const MAX_CONNECTIONS = 64;

/** Serves until the socket is removed or taken over, or a signal ends it; resolves then. */
export async function serveBridgeRelay(options: BridgeRelayOptions): Promise<void> {
  const { paths } = options;
  const served = servedWatch(options);
  await served.refresh();
  log.info('bridge relay starts', { dir: paths.dir });
  const why = await serveSocketUntilGone({
    socket: paths.socket,
    pidFile: paths.pid,
    owner: options.owner,
    maxConnections: MAX_CONNECTIONS,
    checkEveryMs: options.checkEveryMs,
    // What is served may have changed with no call to notice it: links and running calls follow.
    onCheck: () => void served.refresh(),
    serve: (client) =>
      void serveCall(client, {
        engine: options.engine,
        policy: served.current,
        register: served.register,
        defaultUser: options.defaultUser,
        record: options.record,
        ...(options.hangupGraceMs !== undefined ? { hangupGraceMs: options.hangupGraceMs } : {}),
      }),
  });
  log.info('bridge relay ends', { dir: paths.dir, why });
}

/**
 * What is served, followed: whenever it is another one, the links in bin/ are rewritten to it,
 * and calls whose command was taken out or changed are ended (the caller told why).
 */
function servedWatch(options: BridgeRelayOptions) {
  let shown: ServedBridge | undefined;
  const running = new Set<RunningCall>();
  const follow = async (now: ServedBridge) => {
    if (now === shown) return;
    shown = now;
    for (const call of running) stopUnlessServed(call, now);
    await writeCommandLinks(options.paths, now.policy).catch((error: unknown) =>
      log.warn('bridge: the command links were not written', { error: String(error) }),
    );
  };
  const current = async () => {
    const now = await options.policy();
    await follow(now);
    return now;
  };
  return {
    current,
    refresh: async () => {
      await current().catch((error: unknown) =>
        log.warn('bridge: what is served could not be read', { error: String(error) }),
      );
    },
    /** A call starts: ended at once if what it was planned from is already out of date. */
    register: (call: RunningCall) => {
      running.add(call);
      if (shown) stopUnlessServed(call, shown);
      return () => running.delete(call);
    },
  };
}

function stopUnlessServed(call: RunningCall, now: ServedBridge): void {
  if (stillServed(call.policy, call.command, now)) return;
  call.stop(now.none ?? now.withheld.get(call.command) ?? `${call.command} is no longer approved`);
}
