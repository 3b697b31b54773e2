import type { BridgePolicy } from '../config/bridge-policy.js';
import type { DockerEngine } from '../docker/engine.js';
import { log } from '../log.js';
import { serveSocketUntilGone } from '../system/socket-service.js';
import type { BridgeCall } from './call-log.js';
import { writeCommandLinks, type BridgeRelayPaths } from './relay-files.js';
import { serveCall } from './serve-call.js';

/**
 * The host side of the command bridge: the one process of a project that holds Docker access on
 * the bridge's behalf. It listens on a socket in a folder the agent containers mount, takes only
 * the bridge's closed protocol (frames.ts), and runs what the approved policy maps a command to.
 */
export interface BridgeRelayOptions {
  paths: BridgeRelayPaths;
  engine: DockerEngine;
  /** The approved bridge now; cheap when nothing changed (the relay asks at every call). */
  policy: () => Promise<BridgePolicy | undefined>;
  /** uid:gid a command without its own `user` runs as (the agent's). */
  defaultUser: string;
  record: (call: BridgeCall) => void;
  /** The agent's user, when this runs as root: the socket becomes theirs. */
  owner?: { uid: number; gid: number };
  /** How often to look whether the socket is still ours and the approval changed. */
  checkEveryMs?: number;
  hangupGraceMs?: number;
}

/** Calls at once: plenty for an agent's use; a flood costs only this process its descriptors. */
const MAX_CONNECTIONS = 64;

/** Serves until the socket is removed or taken over, or a signal ends it; resolves then. */
export async function serveBridgeRelay(options: BridgeRelayOptions): Promise<void> {
  const { paths } = options;
  const links = commandLinks(options);
  await links.refresh();
  const policy = async () => {
    const now = await options.policy();
    await links.follow(now);
    return now;
  };
  log.info('bridge relay starts', { dir: paths.dir });
  const why = await serveSocketUntilGone({
    socket: paths.socket,
    pidFile: paths.pid,
    owner: options.owner,
    maxConnections: MAX_CONNECTIONS,
    checkEveryMs: options.checkEveryMs,
    // The approval may have changed with no call to notice it: the links follow it anyway.
    onCheck: () => void links.refresh(),
    serve: (client) =>
      void serveCall(client, {
        engine: options.engine,
        policy,
        defaultUser: options.defaultUser,
        record: options.record,
        ...(options.hangupGraceMs !== undefined ? { hangupGraceMs: options.hangupGraceMs } : {}),
      }),
  });
  log.info('bridge relay ends', { dir: paths.dir, why });
}

/** The links in bin/ kept to the approved policy: rewritten whenever it is another one. */
function commandLinks(options: BridgeRelayOptions) {
  let shown: BridgePolicy | undefined | null = null;
  const follow = async (policy: BridgePolicy | undefined) => {
    if (policy === shown) return;
    shown = policy;
    await writeCommandLinks(options.paths, policy).catch((error: unknown) =>
      log.warn('bridge: the command links were not written', { error: String(error) }),
    );
  };
  return {
    follow,
    refresh: async () => follow(await options.policy().catch(() => undefined)),
  };
}
