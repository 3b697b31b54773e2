import { chmod, lstat, mkdir, realpath, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  findInodes,
  INODE_RECORD_TARGET,
  inodeRecordFile,
  readInodeRecord,
  recordInodes,
  replacedSince,
  sameFile,
  unaccounted,
  type InodeRecord,
} from './secret-inodes.js';
import { secretRules, type SecretRules } from './secret-patterns.js';
import { scanForSecrets, withOtherNames, type SecretScan, type SecretShadow } from './secret-scan.js';

/**
 * Secret files shadowed in the agent container: part of its spec, so a change recreates it at `up`.
 * Pure data and the mounts it makes; the walk that finds them is in secret-scan.ts.
 */
export interface SecretShadows {
  /** The empty, read-only (0444) file bind-mounted over every shadowed file; on the host, never in the workspace. */
  emptyFile: string;
  shadows: readonly Pick<SecretShadow, 'path' | 'kind'>[];
  /** The rules for the check at each start of the container. */
  check: SecretRules['source'];
  /** The file `up` writes `record` to (mounted read-only; its content is not part of the spec). */
  inodeFile: string;
  /** What each shadow hides, by inode, as the project is now (see secret-inodes.ts). */
  record: InodeRecord;
  /**
   * Shadowed paths whose file was replaced on the host since the last `up` (an editor saving by
   * rename): Linux drops the mount over a file replaced from outside the container, so the agent
   * may read the new one until its container restarts.
   */
  replacedOnHost: string[];
}

/**
 * Read by the agent container's entrypoint on every start (Docker's own restarts included): it
 * refuses to start while a secret-looking path is not shadowed, for example one moved since `up`.
 */
export const SECRET_CHECK_ENV = 'CLAUDE_TUI_SECRET_CHECK';

/** In the project's state folder on the host. */
export function emptyShadowFile(projectStateDir: string): string {
  return join(projectStateDir, 'secret-shadow');
}

export function secretShadows(
  scan: SecretScan,
  rules: SecretRules,
  stateDir: string,
  inodes: { record: InodeRecord; replacedOnHost?: string[] },
): SecretShadows {
  return {
    emptyFile: emptyShadowFile(stateDir),
    shadows: scan.shadows.map(({ path, kind }) => ({ path, kind })),
    check: rules.source,
    inodeFile: inodeRecordFile(stateDir),
    record: inodes.record,
    replacedOnHost: inodes.replacedOnHost ?? [],
  };
}

/** Docker follows no link here: the scan never names one (see secret-scan.ts). */
export function secretShadowMounts(shadows: SecretShadows | undefined, workspace: string) {
  if (!shadows) return [];
  const shadowMounts = shadows.shadows.map((shadow) =>
    shadow.kind === 'file'
      ? { Type: 'bind', Source: shadows.emptyFile, Target: `${workspace}/${shadow.path}`, ReadOnly: true }
      : {
          Type: 'tmpfs',
          Target: `${workspace}/${shadow.path}`,
          ReadOnly: true,
          TmpfsOptions: { SizeBytes: 4096 },
        },
  );
  return [...shadowMounts, inodeRecordMount(shadows)];
}

/** The inode record for the check, outside the workspace. */
export function inodeRecordMount(shadows: Pick<SecretShadows, 'inodeFile'>) {
  return { Type: 'bind', Source: shadows.inodeFile, Target: INODE_RECORD_TARGET, ReadOnly: true };
}

export function secretCheckEnv(shadows: SecretShadows | undefined): string[] {
  return shadows ? [`${SECRET_CHECK_ENV}=${JSON.stringify(shadows.check)}`] : [];
}

/** What an existing container shadows, read back from its mounts (as `docker inspect` lists them). */
export function shadowsInContainer(
  mounts: readonly { Type: string; Source?: string; Destination: string }[],
  emptyFile: string,
  workspace: string,
): Pick<SecretShadow, 'path' | 'kind'>[] {
  const inWorkspace = (target: string) => target.startsWith(`${workspace}/`);
  return mounts
    .filter((m) => inWorkspace(m.Destination) && (m.Type === 'tmpfs' || m.Source === emptyFile))
    .map((m) => ({
      path: m.Destination.slice(workspace.length + 1),
      kind: m.Type === 'tmpfs' ? ('folder' as const) : ('file' as const),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function stillThere(root: string, previous: InodeRecord | undefined, rules: SecretRules) {
  if (!previous || previous.device !== (await lstat(root)).dev) return [];
  const wanted = previous.shadows.filter((s) => rules.shadowed(s.path) && !rules.exposed(s.path));
  const stats = await Promise.all(wanted.map((s) => lstat(join(root, s.path)).catch(() => undefined)));
  return wanted.flatMap((shadow, i) => {
    const stat = stats[i];
    if (!stat || stat.isSymbolicLink()) return [];
    return [
      {
        path: shadow.path,
        kind: stat.isDirectory() ? ('folder' as const) : ('file' as const),
        origin: shadow.path,
      },
    ];
  });
}

/** Makes sure the empty file is there, empty and read-only, before a container mounts it. */
export async function ensureEmptyShadowFile(file: string): Promise<void> {
  const stats = await lstat(file).catch(() => undefined);
  if (stats?.isFile() && stats.size === 0 && (stats.mode & 0o777) === 0o444) return;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, '', { mode: 0o444 });
  await chmod(temporary, 0o444);
  await rename(temporary, file);
}

/**
 * Finds what to shadow with the approved config's `secrets` (never the workspace's file as it is
 * now). `protectedPaths` and the extra mounts are never shadowed, nor anything that would hide one.
 */
export async function planSecretShadows(
  projectDir: string,
  config: { shadow?: string[]; expose?: string[] } | undefined,
  others: { protectedPaths: readonly string[]; mountTargets: readonly string[] },
  stateDir: string,
  workspace: string,
): Promise<{ scan: SecretScan; shadows: SecretShadows }> {
  const covered = others.mountTargets
    .filter((target) => target.startsWith(`${workspace}/`))
    .map((target) => target.slice(workspace.length + 1).replace(/\/+$/, ''));
  const rules = secretRules(config, covered);
  const options = { rules, mountedPaths: others.protectedPaths, coveredPaths: covered, workspace };
  const [root, previous] = await Promise.all([
    realpath(projectDir),
    readInodeRecord(inodeRecordFile(stateDir)),
  ]);
  let scan = await scanForSecrets(root, options);
  // A path shadowed last time stays shadowed while it is there and the rules shadow its name, in
  // a folder the walk skips too (where a secret moved into one was found).
  scan = withOtherNames(scan, await stillThere(root, previous, rules), options);
  const first = await recordInodes(root, scan.shadows);
  const { hardLinked } = first;
  let { record } = first;
  // Other names of shadowed files, and secrets shadowed last time that are not where they were:
  // the whole project is searched for them (nothing skipped), and they are shadowed where they are.
  const moved = unaccounted(previous, record);
  const wanted = new Set([...moved.map((s) => s.inode), ...hardLinked]);
  if (wanted.size && !scan.truncated) {
    const known = [...moved, ...record.shadows];
    const found = (await findInodes(root, wanted)).flatMap((f) => {
      const origin = known.find(
        (k) => sameFile(k, f) || (hardLinked.includes(f.inode) && k.inode === f.inode),
      );
      // Where it was shadowed before, the rules as approved now decide (the person may expose it).
      const stays = origin && (origin.path !== f.path || (rules.shadowed(f.path) && !rules.exposed(f.path)));
      return stays ? [{ path: f.path, kind: f.kind, origin: origin.path }] : [];
    });
    scan = withOtherNames(scan, found, options);
    ({ record } = await recordInodes(root, scan.shadows));
  }
  const replacedOnHost = replacedSince(previous, record);
  return { scan, shadows: secretShadows(scan, rules, stateDir, { record, replacedOnHost }) };
}
