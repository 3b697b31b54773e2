import { chown, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { log } from '../log.js';
import { RELAY_SOCKET_NAME, type SshRelayPaths } from './ssh-relay.js';

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
  // A socket's path may be only 107 bytes long; from inside its folder, ours is short.
  process.chdir(paths.dir);
  await rm(RELAY_SOCKET_NAME, { force: true });
  const open = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    relay(client, paths.upstream);
  });
  server.maxConnections = MAX_CONNECTIONS;
  // Made owner-only from the start: no moment in which another user could connect.
  const umask = process.umask(0o177);
  try {
    await listen(server, RELAY_SOCKET_NAME);
  } finally {
    process.umask(umask);
  }
  if (options.owner) await chown(RELAY_SOCKET_NAME, options.owner.uid, options.owner.gid);
  const ours = (await stat(RELAY_SOCKET_NAME)).ino;
  await writeFile(paths.pid, String(process.pid));
  log.info('ssh relay listening', { dir: paths.dir });

  const stillOurs = () =>
    stat(RELAY_SOCKET_NAME).then(
      (now) => now.ino === ours,
      () => false,
    );
  let timer: NodeJS.Timeout | undefined;
  const why = await new Promise<string>((resolve) => {
    timer = setInterval(() => {
      void stillOurs().then((ok) => {
        if (!ok) resolve('its socket was removed or taken over');
      });
    }, options.checkEveryMs ?? 2000);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
      process.once(signal, () => resolve(signal));
  });
  clearInterval(timer);
  // Not close(): libuv would unlink the socket's path, which may be another relay's by now. An
  // unreferenced server lets the process end; the path is removed below only while it is ours.
  server.unref();
  for (const client of open) client.destroy();
  if (await stillOurs()) await rm(RELAY_SOCKET_NAME, { force: true });
  if ((await readFile(paths.pid, 'utf8').catch(() => '')) === String(process.pid)) await rm(paths.pid);
  log.info('ssh relay ends', { dir: paths.dir, why });
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
