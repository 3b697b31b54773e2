import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { log } from '../log.js';
import { serveSocketUntilGone } from '../system/socket-service.js';
import type { SshRelayPaths } from './ssh-relay.js';

/**
 * The host side of a lent SSH agent: a socket in a folder of ours, which the agent containers
 * mount, passing each connection on to the host's agent socket named in the upstream file. The
 * file is read for every connection, so a new login's SSH_AUTH_SOCK reaches running sessions as
 * soon as `up` or `start` writes it; nothing in a container is made again. Bytes pass untouched.
 */
export interface RelayOptions {
  paths: SshRelayPaths;
  /** The agent's user, when this runs as root: the socket becomes theirs. */
  owner?: { uid: number; gid: number };
  /** How often to look whether the socket is still ours (removed by `down`, or taken over). */
  checkEveryMs?: number;
}

/** Enough for any agent's use; a flood of connections only costs this process its descriptors. */
const MAX_CONNECTIONS = 64;

/** Serves until the socket is removed or taken over, or a signal ends it; resolves then. */
export async function serveSshRelay(options: RelayOptions): Promise<void> {
  const { paths } = options;
  const why = await serveSocketUntilGone({
    socket: paths.socket,
    pidFile: paths.pid,
    owner: options.owner,
    maxConnections: MAX_CONNECTIONS,
    checkEveryMs: options.checkEveryMs,
    serve: (client) => relay(client, paths.upstream),
  });
  log.info('ssh relay ends', { dir: paths.dir, why });
}

function relay(client: Socket, upstreamFile: string): void {
  const drop = () => client.destroy();
  client.on('error', drop);
  readFile(upstreamFile, 'utf8').then((path) => {
    const upstream = connect(path.trim());
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', (error) => {
      log.debug('ssh relay: the host agent did not answer', { error: String(error) });
      close();
    });
    client.on('close', close);
    upstream.on('close', close);
    upstream.on('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }, drop);
}
