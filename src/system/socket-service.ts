import { chown, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';

/**
 * A host process of ours serving a Unix socket in a folder the agent containers mount (the SSH
 * agent relay, the command bridge): owner-only from its first moment, its pid in a file, and
 * serving until its socket is removed (`down`) or taken over by a newer one, or a signal ends it.
 */
export interface SocketServiceOptions {
  socket: string;
  pidFile: string;
  /** The agent's user, when this runs as root: the socket becomes theirs. */
  owner?: { uid: number; gid: number } | undefined;
  /** Connections at once; a flood costs only this process its descriptors. */
  maxConnections: number;
  /** Each connection, paused: the handler resumes it. */
  serve: (client: Socket) => void;
  /** How often to look whether the socket is still ours. */
  checkEveryMs?: number | undefined;
  /** Called at each look while it is. */
  onCheck?: () => void;
}

/** Resolves with why it ended, once the socket and the pid file (while still ours) are removed. */
export async function serveSocketUntilGone(options: SocketServiceOptions): Promise<string> {
  // A socket's path may be only 107 bytes long; from inside its folder, ours is short.
  const socket = options.socket.length < 100 ? options.socket : basename(options.socket);
  if (socket !== options.socket) process.chdir(dirname(options.socket));
  await rm(socket, { force: true });
  const open = new Set<Socket>();
  const server = createServer({ pauseOnConnect: true }, (client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    options.serve(client);
  });
  server.maxConnections = options.maxConnections;
  // Made owner-only from the start: no moment in which another user could connect.
  const umask = process.umask(0o177);
  try {
    await listen(server, socket);
  } finally {
    process.umask(umask);
  }
  if (options.owner) await chown(socket, options.owner.uid, options.owner.gid);
  const ours = (await stat(socket)).ino;
  await writeFile(options.pidFile, String(process.pid));

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
        else options.onCheck?.();
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
  if (await stillOurs()) await rm(socket, { force: true });
  const pid = await readFile(options.pidFile, 'utf8').catch(() => '');
  if (pid === String(process.pid)) await rm(options.pidFile);
  return why;
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

/** Which of our socket services a pid file is for: the subcommand word in its command line. */
export interface ServiceProcess {
  pidFile: string;
  /** `ssh-relay`, `bridge-relay`. */
  subcommand: string;
}

/** The service's process id when one runs (its pid file names a live process of that kind). */
export async function runningService(service: ServiceProcess): Promise<number | undefined> {
  const pid = Number(await readFile(service.pidFile, 'utf8').catch(() => ''));
  if (!(pid > 0)) return undefined;
  // A pid file from before a reboot may name another program by now: only ours counts.
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return command.split('\0').includes(service.subcommand) ? pid : undefined;
}

/**
 * Starts the service unless one runs, and waits until it listens. `start` spawns it (detached)
 * and says its pid. False when it did not come up in time (its log says why).
 */
export async function ensureService(
  service: ServiceProcess,
  start: () => Promise<number>,
  timeoutMs = 5000,
): Promise<boolean> {
  if (await runningService(service)) return true;
  const pid = await start();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await runningService(service)) === pid) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

/** Ends the service: its socket removed, it stops by itself; a signal makes it at once. */
export async function stopService(service: ServiceProcess, socket: string): Promise<void> {
  const pid = await runningService(service);
  await rm(socket, { force: true });
  if (pid) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone meanwhile.
    }
  }
}
