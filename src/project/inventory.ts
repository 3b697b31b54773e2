import type { ContainerSummary, DiskUsage, DockerEngine } from '../docker/engine.js';
import { everythingManaged, isManaged, LABEL } from '../docker/labels.js';
import { countUnmerged } from '../git/unmerged-count.js';
import { folderIsGone } from './folder-gone.js';

export type ResourceKind = 'container' | 'volume' | 'image' | 'network';

/** One thing claude-tui made in Docker, as the cleanup screen and `volumes` show it. */
export interface ManagedResource {
  kind: ResourceKind;
  /** Container id, volume name, image id or network id. */
  id: string;
  /** Container name, volume name, image repo:tag (or short id) or network name. */
  name: string;
  /** The role label: gateway, agent, network, home, image, session, git-session, ... */
  role: string;
  /** The project it belongs to; null for what projects share (images). */
  projectDir: string | null;
  /** Null when the Engine did not say. */
  sizeBytes: number | null;
  inUse: boolean;
  /** Containers using a volume, image or network; for a container, ['running'] while it runs. */
  usedBy: string[];
  /** Git-session volumes only: commits never merged back; null when it could not be told. */
  unmergedCommits: number | null;
  /** Its project's folder no longer exists on the host. */
  folderMissing: boolean;
  /**
   * In use, but only by what belongs to projects whose folder is gone (for a container: it runs
   * and its folder is gone). No living project needs it, so cleanup takes it with the rest.
   */
  usedOnlyByGoneProjects: boolean;
}

export interface Inventory {
  resources: ManagedResource[];
}

const GIT_SESSION = 'git-session';

const containerName = (c: ContainerSummary) => (c.Names[0] ?? c.Id).replace(/^\//, '');

/** Nothing uses it, or only what belongs to projects whose folder is gone: cleanup may take it. */
export function unusedByLivingProject(resource: ManagedResource): boolean {
  return !resource.inUse || resource.usedOnlyByGoneProjects;
}

/** Needs an explicit yes (or --discard-unmerged) before it goes: it may hold unmerged work. */
export function holdsUnmerged(resource: ManagedResource): boolean {
  return (
    resource.kind === 'volume' &&
    resource.role === GIT_SESSION &&
    (resource.unmergedCommits === null || resource.unmergedCommits > 0)
  );
}

/**
 * Everything carrying claude-tui's labels, with size (from the Engine's disk usage), owner and
 * what uses it. Usage counts every container on the Engine, not only ours.
 */
export async function listManagedResources(engine: DockerEngine): Promise<Inventory> {
  const [allContainers, volumes, images, networks, usage] = await Promise.all([
    engine.listContainers({}),
    engine.listVolumes(everythingManaged),
    engine.listImages(everythingManaged),
    engine.listNetworks(everythingManaged),
    engine.diskUsage().catch((): DiskUsage => ({ Volumes: null, Images: null, Containers: null })),
  ]);
  const volumeSize = new Map((usage.Volumes ?? []).map((v) => [v.Name, v.UsageData?.Size ?? -1]));
  const imageSize = new Map((usage.Images ?? []).map((i) => [i.Id, i.Size]));
  const containerSize = new Map((usage.Containers ?? []).map((c) => [c.Id, c.SizeRw ?? -1]));
  const known = (size: number | undefined) => (size === undefined || size < 0 ? null : size);
  // Ours are among all of them: one list, filtered here, instead of asking twice.
  const containers = allContainers.filter((c) => isManaged(c.Labels));
  const counters = [...images].sort((a, b) => b.Created - a.Created);
  const gone = goneFolderCheck();
  // What only containers of gone projects use goes with them; anything else using it is alive.
  const goneContainers = new Set(containers.filter((c) => gone(c.Labels[LABEL.project])).map(containerName));
  const onlyGone = (users: string[]) => users.length > 0 && users.every((u) => goneContainers.has(u));

  const resources: ManagedResource[] = [];
  for (const c of containers) {
    const running = c.State === 'running';
    const projectDir = c.Labels[LABEL.project] ?? null;
    resources.push({
      kind: 'container',
      id: c.Id,
      name: containerName(c),
      role: c.Labels[LABEL.role] ?? 'container',
      projectDir,
      sizeBytes: known(containerSize.get(c.Id)),
      inUse: running,
      usedBy: running ? ['running'] : [],
      unmergedCommits: null,
      folderMissing: gone(projectDir),
      usedOnlyByGoneProjects: running && gone(projectDir),
    });
  }
  for (const v of volumes) {
    const users = allContainers.filter((c) =>
      c.Mounts?.some((m) => m.Type === 'volume' && m.Name === v.Name),
    );
    const role = v.Labels?.[LABEL.role] ?? 'volume';
    const projectDir = v.Labels?.[LABEL.project] ?? null;
    resources.push({
      kind: 'volume',
      id: v.Name,
      name: v.Name,
      role,
      projectDir,
      sizeBytes: known(volumeSize.get(v.Name)),
      inUse: users.length > 0,
      usedBy: users.map(containerName),
      unmergedCommits:
        role === GIT_SESSION
          ? await countUnmerged(engine, v.Name, v.Labels?.[LABEL.baseCommit], counters)
          : null,
      folderMissing: gone(projectDir),
      usedOnlyByGoneProjects: onlyGone(users.map(containerName)),
    });
  }
  // Newest first: cleanup keeps the first.
  for (const image of [...images].sort((a, b) => b.Created - a.Created)) {
    const users = allContainers.filter((c) => c.ImageID === image.Id || image.RepoTags?.includes(c.Image));
    const projectDir = image.Labels?.[LABEL.project] ?? null;
    resources.push({
      kind: 'image',
      id: image.Id,
      name: image.RepoTags?.[0] ?? image.Id.replace(/^sha256:/, '').slice(0, 12),
      role: image.Labels?.[LABEL.role] ?? 'image',
      projectDir,
      sizeBytes: known(imageSize.get(image.Id) ?? image.Size),
      inUse: users.length > 0,
      usedBy: users.map(containerName),
      unmergedCommits: null,
      folderMissing: gone(projectDir),
      usedOnlyByGoneProjects: onlyGone(users.map(containerName)),
    });
  }
  for (const n of networks) {
    const projectDir = n.Labels?.[LABEL.project] ?? null;
    // The gateway is what joins the project network; the agent shares the gateway's namespace.
    const users = containers.filter((c) => projectDir && c.Labels[LABEL.project] === projectDir);
    resources.push({
      kind: 'network',
      id: n.Id,
      name: n.Name,
      role: n.Labels?.[LABEL.role] ?? 'network',
      projectDir,
      sizeBytes: null,
      inUse: users.length > 0,
      usedBy: users.map(containerName),
      unmergedCommits: null,
      folderMissing: gone(projectDir),
      usedOnlyByGoneProjects: onlyGone(users.map(containerName)),
    });
  }
  return { resources };
}

/** folderIsGone, asked once per folder: many resources share a project. */
function goneFolderCheck(): (dir: string | null | undefined) => boolean {
  const answers = new Map<string, boolean>();
  return (dir) => {
    if (!dir) return false;
    let gone = answers.get(dir);
    if (gone === undefined) answers.set(dir, (gone = folderIsGone(dir)));
    return gone;
  };
}

const ORDER: ResourceKind[] = ['container', 'volume', 'network', 'image'];

/**
 * Deletes what was chosen, containers first so that what they used becomes free. A failure or a
 * refusal of one thing does not stop the rest; each is reported with its reason.
 */
export async function removeManagedResources(
  engine: DockerEngine,
  resources: ManagedResource[],
  options: { discardUnmerged: boolean },
  onProgress: (line: string) => void = () => undefined,
): Promise<{ removed: ManagedResource[]; skipped: { resource: ManagedResource; reason: string }[] }> {
  const removed: ManagedResource[] = [];
  const skipped: { resource: ManagedResource; reason: string }[] = [];
  const sorted = [...resources].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const goingAway = new Set(resources.filter((r) => r.kind === 'container').map((r) => r.name));
  for (const resource of sorted) {
    if (resource.kind !== 'container') {
      const stillUsing = resource.usedBy.filter((user) => !goingAway.has(user));
      if (stillUsing.length) {
        skipped.push({ resource, reason: `in use by ${stillUsing.join(', ')}` });
        continue;
      }
    }
    if (holdsUnmerged(resource) && !options.discardUnmerged) {
      skipped.push({
        resource,
        reason:
          resource.unmergedCommits === null
            ? 'it may hold commits never merged back (they could not be counted)'
            : `it holds ${resource.unmergedCommits} commits never merged back`,
      });
      continue;
    }
    try {
      onProgress(`deleting ${resource.kind} ${resource.name}`);
      if (resource.kind === 'container') {
        if (resource.inUse) await engine.stopContainer(resource.id, 5);
        await engine.removeContainer(resource.id);
      } else if (resource.kind === 'volume') await engine.removeVolume(resource.id);
      else if (resource.kind === 'network') await engine.removeNetwork(resource.id);
      else await engine.removeImage(resource.id);
      removed.push(resource);
    } catch (error) {
      if (resource.kind === 'container') goingAway.delete(resource.name);
      skipped.push({ resource, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { removed, skipped };
}

/**
 * What `cleanup` removes when asked for nothing in particular: what no living project uses (what
 * belongs to a project whose folder is gone counts as unused, running or not), but the newest
 * agent image (the next `up` would build it again), and never a volume with unmerged commits
 * (that needs --discard-unmerged). Each thing kept says why.
 */
export function cleanupCandidates(inventory: Inventory): {
  remove: ManagedResource[];
  keep: { resource: ManagedResource; reason: string }[];
} {
  const images = inventory.resources.filter((r) => r.kind === 'image' && r.role === 'image');
  const newest = images[0];
  const remove: ManagedResource[] = [];
  const keep: { resource: ManagedResource; reason: string }[] = [];
  for (const resource of inventory.resources) {
    if (!unusedByLivingProject(resource)) {
      const by = resource.usedBy.filter((u) => u !== 'running');
      keep.push({ resource, reason: by.length ? `in use by ${by.join(', ')}` : 'running' });
    } else if (resource === newest) {
      keep.push({ resource, reason: 'the newest agent image; `up` would build it again' });
    } else if (holdsUnmerged(resource)) {
      keep.push({
        resource,
        reason:
          resource.unmergedCommits === null
            ? 'may hold commits never merged back (--discard-unmerged)'
            : `${resource.unmergedCommits} commits never merged back (--discard-unmerged)`,
      });
    } else {
      remove.push(resource);
    }
  }
  return { remove, keep };
}
