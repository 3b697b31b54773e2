import { chmod, chown, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureService, runningService, stopService } from '../system/socket-service.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import type { HostUser } from './host-user.js';

/**
 * Where a project's SSH agent relay keeps its files, in the project's state folder (no agent can
 * write there), and how it is started, pointed and stopped. The relay itself: ssh-relay-server.ts.
 */
export interface SshRelayPaths {
  /** Mounted read-only into the agent containers; holds only the relay's socket. */
  dir: string;
  socket: string;
  /** The host's agent socket to pass connections on to: SSH_AUTH_SOCK at the latest up or start. */
  upstream: string;
  pid: string;
}

export const RELAY_SOCKET_NAME = 'ssh-auth.sock';

export function sshRelayPaths(projectStateDir: string): SshRelayPaths {
  const dir = join(projectStateDir, 'ssh-agent');
  return {
    dir,
    socket: join(dir, RELAY_SOCKET_NAME),
    upstream: join(projectStateDir, 'ssh-agent-upstream'),
    pid: join(projectStateDir, 'ssh-relay.pid'),
  };
}

/** The image's own `claude` IDs, which the entrypoint keeps when the host user is root (Dockerfile). */
const IMAGE_AGENT_IDS: HostUser = { uid: 501, gid: 501 };

/** Who `claude` is inside, for a host user (the entrypoint never maps root). */
export function agentUserIds(hostUser: HostUser): HostUser {
  return hostUser.uid === 0 ? IMAGE_AGENT_IDS : hostUser;
}

/**
 * The folder exists before any container mounts it, and only the agent's user may enter it: the
 * host user it is mapped to, or (when claude-tui runs as root) the agent's user made its owner.
 * Its parent, the project's state folder, stays closed to everyone else, so that on the host no
 * one but its owner reaches the socket (a user with the agent's UID would otherwise get root's
 * SSH agent); the containers reach it through their mount, which no parent folder stands in.
 */
export async function prepareRelayDir(paths: SshRelayPaths, agent: HostUser, asRoot: boolean): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await chmod(dirname(paths.dir), 0o700);
  await chmod(paths.dir, 0o700);
  if (asRoot) await chown(paths.dir, agent.uid, agent.gid);
}

export async function pointRelayAt(paths: SshRelayPaths, hostSocket: string): Promise<void> {
  const text = `${hostSocket}\n`;
  if ((await readFile(paths.upstream, 'utf8').catch(() => '')) === text) return;
  await writeFileAtomically(paths.upstream, text, 0o600);
}

const relayProcess = (paths: SshRelayPaths) => ({ pidFile: paths.pid, subcommand: 'ssh-relay' });

/** The relay's process id when one serves this project (its pid file names a live relay). */
export function runningRelay(paths: SshRelayPaths): Promise<number | undefined> {
  return runningService(relayProcess(paths));
}

/** Starts the relay unless one runs (`start` spawns it), and waits until it listens. */
export function ensureRelay(
  paths: SshRelayPaths,
  start: () => Promise<number>,
  timeoutMs?: number,
): Promise<boolean> {
  return ensureService(relayProcess(paths), start, timeoutMs);
}

/** Ends the relay, and forgets the host's agent socket it passed connections on to. */
export async function stopRelay(paths: SshRelayPaths): Promise<void> {
  await stopService(relayProcess(paths), paths.socket);
  await rm(paths.upstream, { force: true });
}
