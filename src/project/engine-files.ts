import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DockerEngine } from '../docker/engine.js';
import { execBytes } from '../docker/exec.js';
import { managedLabels } from '../docker/labels.js';
import { tarArchive, type ArchiveFile } from '../docker/tar-files.js';
import { UserError } from '../errors.js';
import { policyDir, resolvConfPath } from '../firewall/policy-store.js';
import { GATEWAY_STATUS_FILE } from './container-specs.js';
import { gitIdentityFile } from './git-identity.js';
import type { ProjectIdentity } from './identity.js';
import { assertOwned } from './ownership.js';

/**
 * Where a remote project's files from claude-tui live on the Engine's machine: a volume of the
 * project, and the folder the Engine keeps it in there (its mount point), from which the
 * containers bind single files the way a local project's containers bind ours. The Engine API of
 * 1.41 mounts no part of a volume, and a file at a fixed path (the agent's /etc/resolv.conf) can
 * only come from a bind.
 */
export interface EngineFilesPlace {
  volume: string;
  /** The volume's mount point, a path on the Engine's machine. */
  dir: string;
}

/** The whole volume, in the gateway: its status file is written there, and updates unpacked there. */
export const ENGINE_FILES_IN_GATEWAY = dirname(GATEWAY_STATUS_FILE);
const STATUS_FILE = 'firewall-status';
/** What was last sent, so that an `up` with nothing new sends nothing. */
const SENT_RECORD = 'engine-files.sent';

export function engineFilesVolume(project: ProjectIdentity): string {
  return project.names.homeVolume.replace(/-home$/, '-files');
}

/** The project's files volume on the Engine, made when missing. */
export async function placeEngineFiles(
  engine: DockerEngine,
  project: ProjectIdentity,
): Promise<EngineFilesPlace & { createdAt: string }> {
  const volume = engineFilesVolume(project);
  let found = await engine.inspectVolume(volume);
  if (found) assertOwned(project, 'volume', volume, 'engine-files', found.Labels);
  if (!found) {
    await engine.createVolume(volume, managedLabels('engine-files', project));
    found = await engine.inspectVolume(volume);
  }
  if (!found?.Mountpoint) {
    throw new UserError(
      `The Docker Engine at ${engine.endpoint} says no folder for the volume ${volume}.`,
      'A remote project needs a volume driver that keeps volumes in a folder (the local driver).',
    );
  }
  return { volume, dir: found.Mountpoint, createdAt: found.CreatedAt ?? '' };
}

/** The files the containers are handed, as this machine's state folder has them now. */
async function gatherFiles(stateDir: string): Promise<ArchiveFile[]> {
  const policy = policyDir(stateDir);
  const names = (await readdir(policy).catch(() => [] as string[])).filter((n) => !n.endsWith('.tmp'));
  const files: ArchiveFile[] = [];
  for (const name of names.sort()) {
    files.push({ name: `policy/${name}`, content: await readFile(join(policy, name)), mode: 0o644 });
  }
  for (const [name, path] of [
    ['resolv.conf', resolvConfPath(stateDir)],
    ['git-identity', gitIdentityFile(stateDir)],
  ] as const) {
    const content = await readFile(path).catch(() => undefined);
    if (content) files.push({ name, content, mode: 0o644 });
  }
  return files;
}

/**
 * Sends the files to the project's volume on its Engine when they differ from what was sent last
 * (the policy after a change or a rollback, a new git identity). Into a running gateway by `tar
 * --overwrite` over an exec's stdin, which rewrites each file in place, so that the agent's bind
 * of a single file shows the new content; otherwise through the Engine's archive endpoint into a
 * container made for it and never started. That needs an image on the Engine: without one yet
 * (the first `up`, before its build) it returns false and `up` sends once the image is there.
 */
export async function publishEngineFiles(
  engine: DockerEngine,
  project: ProjectIdentity,
  stateDir: string,
  /** The image the carrier is made from; default the gateway's. */
  image?: string,
): Promise<boolean> {
  const place = await placeEngineFiles(engine, project);
  const files = await gatherFiles(stateDir);
  const digest = createHash('sha256');
  for (const file of files) digest.update(`${file.name}\0`).update(file.content).update('\0');
  const record = `${engine.endpoint}\n${place.volume} ${place.createdAt}\n${digest.digest('hex')}\n`;
  const recordFile = join(stateDir, SENT_RECORD);
  if ((await readFile(recordFile, 'utf8').catch(() => '')) === record) return true;
  const gateway = await engine.inspectContainer(project.names.gateway);
  const mounted = gateway?.Mounts.some((m) => m.Name === place.volume) ?? false;
  if (gateway?.State.Running && mounted) {
    await unpackInGateway(engine, project.names.gateway, await tarArchive(files));
  } else {
    const carrier = image ?? gateway?.Config.Image;
    if (!carrier || !(await engine.inspectImage(carrier))) return false;
    // The gateway writes its status into this file only if it is there; a stopped one has none to keep.
    const withStatus = [...files, { name: STATUS_FILE, content: '', mode: 0o644 }];
    await putThroughCarrier(engine, project, place.volume, carrier, await tarArchive(withStatus));
  }
  await writeFile(recordFile, record, { mode: 0o600 });
  return true;
}

async function unpackInGateway(engine: DockerEngine, gateway: string, tar: Buffer): Promise<void> {
  const script = 'tar -x --overwrite --no-same-owner -C "$1" && touch "$1/$2"';
  const result = await execBytes(
    engine,
    gateway,
    ['sh', '-c', script, 'sh', ENGINE_FILES_IN_GATEWAY, STATUS_FILE],
    { user: 'root', input: tar },
  );
  if (result.exitCode !== 0) {
    throw new UserError(
      `Could not hand the gateway its files on ${engine.endpoint}: ${result.stderr.trim()}`,
    );
  }
}

/** A container that only carries the volume for the archive endpoint: made, filled through, removed. */
async function putThroughCarrier(
  engine: DockerEngine,
  project: ProjectIdentity,
  volume: string,
  image: string,
  tar: Buffer,
): Promise<void> {
  const name = `${volume}-carrier-${process.pid}`;
  await engine.createContainer(name, {
    Image: image,
    Entrypoint: ['true'],
    Cmd: [],
    Labels: managedLabels('engine-files', project),
    HostConfig: {
      NetworkMode: 'none',
      Mounts: [{ Type: 'volume', Source: volume, Target: '/files' }],
    },
  });
  try {
    await engine.putArchive(name, '/files', tar);
  } finally {
    await engine.removeContainer(name).catch(() => undefined);
  }
}
