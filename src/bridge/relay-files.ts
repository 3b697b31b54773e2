import { chmod, chown, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BridgePolicy } from '../config/bridge-policy.js';
import { ensureService, runningService, stopService } from '../system/socket-service.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';

/**
 * Where a project's bridge relay keeps its files, in the project's state folder (no agent can
 * write there). The folder is mounted read-only into the agent containers at BRIDGE_DIR_IN_AGENT:
 * the relay's socket, a `bin/` of one link per approved command (on the agent's PATH) and the
 * environment names each command passes on. The relay itself: relay-server.ts.
 */
export interface BridgeRelayPaths {
  dir: string;
  socket: string;
  bin: string;
  commands: string;
  pid: string;
}

export const BRIDGE_DIR_IN_AGENT = '/run/claude-tui/bridge';
export const BRIDGE_SOCKET_NAME = 'bridge.sock';
/** The client every command's link leads to, installed by the image (images/bridge-client). */
export const BRIDGE_CLIENT_IN_AGENT = '/usr/local/lib/claude-tui/bridge-client';

export function bridgeRelayPaths(projectStateDir: string): BridgeRelayPaths {
  const dir = join(projectStateDir, 'bridge');
  return {
    dir,
    socket: join(dir, BRIDGE_SOCKET_NAME),
    bin: join(dir, 'bin'),
    commands: join(dir, 'commands'),
    pid: join(projectStateDir, 'bridge-relay.pid'),
  };
}

/**
 * The folder exists before any container mounts it (whether or not a bridge is approved: an
 * approval later reaches running containers without making them anew), and only the agent's
 * user may enter it; its parent, the state folder, stays closed to everyone else on the host.
 */
export async function prepareBridgeDir(
  paths: BridgeRelayPaths,
  agent: { uid: number; gid: number },
  asRoot: boolean,
): Promise<void> {
  await mkdir(paths.bin, { recursive: true, mode: 0o700 });
  await chmod(dirname(paths.dir), 0o700);
  await chmod(paths.dir, 0o700);
  await chmod(paths.bin, 0o755);
  if (asRoot) await chown(paths.dir, agent.uid, agent.gid);
}

/**
 * One link in bin/ per approved command, to the image's client (which takes its name from the
 * link), and their environment names in `commands`; links of commands no longer approved go.
 * Each link is made beside its name and renamed over it: a caller never finds it missing.
 */
export async function writeCommandLinks(
  paths: BridgeRelayPaths,
  policy: BridgePolicy | undefined,
): Promise<void> {
  const wanted = Object.keys(policy?.commands ?? {}).filter((name) =>
    /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name),
  );
  const lines = wanted.map((name) => [name, ...policy!.commands[name]!.env].join(' '));
  await writeFileAtomically(paths.commands, lines.map((line) => `${line}\n`).join(''), 0o644);
  for (const name of wanted) {
    const temporary = join(paths.bin, `.${name}.${process.pid}.tmp`);
    await rm(temporary, { force: true });
    await symlink(BRIDGE_CLIENT_IN_AGENT, temporary);
    await rename(temporary, join(paths.bin, name));
  }
  for (const entry of await readdir(paths.bin)) {
    if (!wanted.includes(entry)) await rm(join(paths.bin, entry), { force: true });
  }
}

const relayProcess = (paths: BridgeRelayPaths) => ({ pidFile: paths.pid, subcommand: 'bridge-relay' });

/** The relay's process id when one serves this project (its pid file names a live relay). */
export function runningBridgeRelay(paths: BridgeRelayPaths): Promise<number | undefined> {
  return runningService(relayProcess(paths));
}

/** Starts the relay unless one runs (`start` spawns it), and waits until it listens. */
export function ensureBridgeRelay(
  paths: BridgeRelayPaths,
  start: () => Promise<number>,
  timeoutMs?: number,
): Promise<boolean> {
  return ensureService(relayProcess(paths), start, timeoutMs);
}

/** Ends the relay and its links: nothing left on the agent's PATH that leads nowhere. */
export async function stopBridgeRelay(paths: BridgeRelayPaths): Promise<void> {
  await stopService(relayProcess(paths), paths.socket);
  if (existsSync(paths.bin)) await writeCommandLinks(paths, undefined);
}
