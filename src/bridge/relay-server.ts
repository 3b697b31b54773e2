import { chown, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { BridgePolicy } from '../config/bridge-policy.js';
import type { DockerEngine } from '../docker/engine.js';
import { log } from '../log.js';
import type { BridgeCall } from './call-log.js';
import { BRIDGE_SOCKET_NAME, writeCommandLinks, type BridgeRelayPaths } from './relay-files.js';
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
  // A socket's path may be only 107 bytes long; from inside its folder, ours is short.
  const socket = paths.socket.length < 100 ? paths.socket : BRIDGE_SOCKET_NAME;
  if (socket === BRIDGE_SOCKET_NAME) process.chdir(paths.dir);
  await rm(socket, { force: true });
  const open = new Set<Socket>();
  const policy = async () => {
    const now = await options.policy();
    await links.follow(now);
    return now;
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    void serveCall(client, {
      engine: options.engine,
      policy,
      defaultUser: options.defaultUser,
      record: options.record,
      ...(options.hangupGraceMs !== undefined ? { hangupGraceMs: options.hangupGraceMs } : {}),
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  // Made owner-only from the start: no moment in which another user could connect.
  const umask = process.umask(0o177);
  try {
    await listen(server, socket);
  } finally {
    process.umask(umask);
  }
  if (options.owner) await chown(socket, options.owner.uid, options.owner.gid);
  const ours = (await stat(socket)).ino;
  await writeFile(paths.pid, String(process.pid));
  log.info('bridge relay listening', { dir: paths.dir });

  const stillOurs = () =>
    stat(socket).then(
      (now) => now.ino === ours,
      () => false,
    );
  let timer: NodeJS.Timeout | undefined;
  const why = await new Promise<string>((resolve) => {
    timer = setInterval(() => {
      void stillOurs().then((ok) => {
        if (!ok) resolve('its socket was removed or taken over');
        else void links.refresh();
      });
    }, options.checkEveryMs ?? 2000);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
      process.once(signal, () => resolve(signal));
  });
  clearInterval(timer);
  // Not close(): libuv would unlink the socket's path, which may be another relay's by now.
  server.unref();
  for (const client of open) client.destroy();
  if (await stillOurs()) await rm(socket, { force: true });
  if ((await readFile(paths.pid, 'utf8').catch(() => '')) === String(process.pid)) await rm(paths.pid);
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

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
