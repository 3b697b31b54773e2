import { chmod, lstat, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { secretRules, type SecretRules } from './secret-patterns.js';
import { scanForSecrets, type SecretScan, type SecretShadow } from './secret-scan.js';

/**
 * Secret files shadowed in the agent container: part of its spec, so a change recreates it at `up`.
 * Pure data and the mounts it makes; the walk that finds them is in secret-scan.ts.
 */
export interface SecretShadows {
  /** The empty, read-only (0444) file bind-mounted over every shadowed file; on the host, never in the workspace. */
  emptyFile: string;
  shadows: readonly Pick<SecretShadow, 'path' | 'kind'>[];
  /** The rules for the check at each start of the container; absent when the walk was cut short. */
  check?: SecretRules['source'];
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

export function secretShadows(scan: SecretScan, rules: SecretRules, stateDir: string): SecretShadows {
  return {
    emptyFile: emptyShadowFile(stateDir),
    shadows: scan.shadows.map(({ path, kind }) => ({ path, kind })),
    ...(scan.truncated ? {} : { check: rules.source }),
  };
}

/** Docker follows no link here: the scan never names one (see secret-scan.ts). */
export function secretShadowMounts(shadows: SecretShadows | undefined, workspace: string) {
  if (!shadows) return [];
  return shadows.shadows.map((shadow) =>
    shadow.kind === 'file'
      ? { Type: 'bind', Source: shadows.emptyFile, Target: `${workspace}/${shadow.path}`, ReadOnly: true }
      : {
          Type: 'tmpfs',
          Target: `${workspace}/${shadow.path}`,
          ReadOnly: true,
          TmpfsOptions: { SizeBytes: 4096 },
        },
  );
}

export function secretCheckEnv(shadows: SecretShadows | undefined): string[] {
  return shadows?.check ? [`${SECRET_CHECK_ENV}=${JSON.stringify(shadows.check)}`] : [];
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
  const scan = await scanForSecrets(projectDir, {
    rules,
    mountedPaths: others.protectedPaths,
    coveredPaths: covered,
    workspace,
  });
  return { scan, shadows: secretShadows(scan, rules, stateDir) };
}
