import type { ContainerInspect } from '../docker/engine.js';
import { approvedPolicy } from '../policy/approved-config.js';
import { WORKSPACE } from '../project/container-specs.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { protectedPathsIn } from '../project/protected-paths.js';
import type { SecretScan, SecretShadow } from '../project/secret-scan.js';
import { emptyShadowFile, planSecretShadows, shadowsInContainer } from '../project/secret-shadows.js';

type Shadow = Pick<SecretShadow, 'path' | 'kind'>;

/** What `status` says about secret files: what the agent container shadows, and what it misses. */
export interface SecretShadowReport {
  /** Shadowed in the agent container as it was made (none when there is no agent container). */
  shadowed: Shadow[];
  /**
   * Secret-looking now but not shadowed in the agent container: they appeared (or moved) after it
   * was made. The next `up` recreates the container with them shadowed.
   */
  notShadowed: SecretShadow[];
  /**
   * Shadowed files replaced on the host since the last `up` (an editor saving by rename): their
   * mount inside is gone, so the agent may read them until `up` restarts its container.
   */
  replacedOnHost: string[];
  /** What the next `up` shadows: the project as it is now, under the approved rules. */
  atNextUp: SecretShadow[];
  /** Links out of the project, hard links, a search cut short. */
  notes: string[];
  agentContainer: boolean;
}

/** Reads the project as it is now under the approved policy, and the agent container's mounts. */
export async function secretShadowReport(
  services: Pick<HostServices, 'engine' | 'env'>,
  project: ProjectIdentity,
): Promise<SecretShadowReport> {
  const stateDir = projectStateDir(project, services.env);
  const [policy, agent, protectedPaths] = await Promise.all([
    approvedPolicy(project.dir, stateDir),
    services.engine.inspectContainer(project.names.agent),
    protectedPathsIn(project.dir),
  ]);
  const { scan, shadows } = await planSecretShadows(
    project.dir,
    policy.config.secrets,
    { protectedPaths, mountTargets: policy.mounts.map((m) => m.target) },
    stateDir,
    WORKSPACE,
  );
  const shadowed = agent ? containerShadows(agent, stateDir) : [];
  return {
    shadowed,
    notShadowed: agent ? missing(scan.shadows, shadowed) : [],
    replacedOnHost: agent?.State.Running ? shadows.replacedOnHost : [],
    atNextUp: scan.shadows,
    notes: scan.notes,
    agentContainer: agent !== undefined,
  };
}

/** What `up` says: the newly shadowed paths (when it made the agent anew) and the scan's notes. */
export function secretNotesAfterUp(
  scan: SecretScan,
  before: Shadow[] | undefined,
  agentMade: boolean,
): string[] {
  // Said when the agent container is made; `status` says it any time.
  if (!agentMade) return [];
  const notes = [...scan.notes];
  const fresh = before ? missing(scan.shadows, before) : [];
  if (fresh.length) {
    notes.unshift(
      `Shadowed secret files that appeared since the agent container was made (it was made anew): ${listed(fresh)}`,
    );
  } else if (!before && scan.shadows.length) {
    notes.unshift(
      `Shadowed ${scan.shadows.length} secret file(s) and folder(s): empty and read-only for the agent (claude-tui status lists them).`,
    );
  }
  return notes;
}

export function containerShadows(agent: Pick<ContainerInspect, 'Mounts'>, stateDir: string): Shadow[] {
  return shadowsInContainer(agent.Mounts, emptyShadowFile(stateDir), WORKSPACE);
}

/** Paths of `wanted` that `have` does not cover (by itself or by a shadowed folder above it). */
function missing(wanted: readonly SecretShadow[], have: readonly Shadow[]): SecretShadow[] {
  const paths = new Set(have.map((s) => s.path));
  const folders = have.filter((s) => s.kind === 'folder').map((s) => `${s.path}/`);
  return wanted.filter((s) => !paths.has(s.path) && !folders.some((folder) => s.path.startsWith(folder)));
}

/** A list for one line: the first ten paths, and how many more. */
export function listed(shadows: readonly Shadow[], max = 10): string {
  const names = shadows.slice(0, max).map((s) => (s.kind === 'folder' ? `${s.path}/` : s.path));
  return names.join(', ') + (shadows.length > max ? ` and ${shadows.length - max} more` : '');
}
