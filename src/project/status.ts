import type { ContainerSummary, DockerEngine, VolumeInspect } from '../docker/engine.js';
import { LABEL, everythingManaged, projectFilter } from '../docker/labels.js';
import { readFirewallStatus } from '../firewall/gateway-control.js';
import { folderIsGone } from './folder-gone.js';
import { projectIdentity, type ProjectIdentity } from './identity.js';
import { agentLeftBehind, inspectPair } from './shared-namespace.js';
import { startRefusal } from './start-refusal.js';

export interface ContainerStatus {
  name: string;
  state: string;
  status: string;
  image: string;
}

/** `rejoining`: both run, but the agent is still in a network namespace the gateway left. */
export type ProjectState = 'up' | 'rejoining' | 'partial' | 'stopped' | 'down';

export interface ProjectStatus {
  dir: string;
  id: string;
  /** The folder's name as spelled on disk, for people. */
  name: string;
  /** The docker-safe form of the name, as in the containers' and volumes' names. */
  slug: string;
  state: ProjectState;
  /** Why the state is not simply what the containers show (for `rejoining`). */
  stateReason?: string;
  /** Set by listProjects: the folder no longer exists on the host (such projects come last). */
  folderMissing?: boolean;
  gateway: ContainerStatus | null;
  agent: ContainerStatus | null;
  volumes: string[];
  /** protected / unprotected: reason / off / unknown (gateway not running). */
  firewall: string;
}

function toStatus(container: ContainerSummary | undefined): ContainerStatus | null {
  if (!container) return null;
  return {
    name: container.Names[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12),
    state: container.State,
    status: container.Status,
    image: container.Image,
  };
}

export function projectState(gateway: ContainerStatus | null, agent: ContainerStatus | null): ProjectState {
  if (!gateway && !agent) return 'down';
  if (gateway?.state === 'running' && agent?.state === 'running') return 'up';
  if (gateway && agent && gateway.state !== 'running' && agent.state !== 'running') return 'stopped';
  return 'partial';
}

function summarize(
  project: ProjectIdentity,
  containers: ContainerSummary[],
  volumes: VolumeInspect[],
  firewall: string,
): ProjectStatus {
  const role = (r: string) => containers.find((c) => c.Labels[LABEL.role] === r);
  const gateway = toStatus(role('gateway'));
  const agent = toStatus(role('agent'));
  return {
    dir: project.dir,
    id: project.id,
    name: project.name,
    slug: project.slug,
    state: projectState(gateway, agent),
    gateway,
    agent,
    volumes: volumes.map((v) => v.Name).sort(),
    firewall,
  };
}

export async function projectStatus(engine: DockerEngine, project: ProjectIdentity): Promise<ProjectStatus> {
  const [containers, volumes] = await Promise.all([
    engine.listContainers(projectFilter(project.id)),
    engine.listVolumes(projectFilter(project.id)),
  ]);
  const gateway = containers.find((c) => c.Labels[LABEL.role] === 'gateway');
  const [firewall, pair] = await Promise.all([
    gateway?.State === 'running'
      ? readFirewallStatus(engine, gateway.Id)
      : Promise.resolve('unknown: the gateway is not running'),
    inspectPair(engine, project),
  ]);
  const status = summarize(project, containers, volumes, firewall);
  // The agent's own start checks refused it (Docker then restarts it in a loop, briefly running).
  const { agent } = pair ?? {};
  if (agent && (!agent.State.Running || agent.State.Restarting === true || agent.RestartCount > 0)) {
    const refused = await startRefusal(engine, project.names.agent);
    if (refused)
      return { ...status, state: status.state === 'up' ? 'partial' : status.state, stateReason: refused };
  }
  if (status.state === 'up' && pair && agentLeftBehind(pair.gateway, pair.agent)) {
    return {
      ...status,
      state: 'rejoining',
      stateReason:
        "the gateway restarted after the agent started, so the agent is in the gateway's old network namespace (no network); it restarts by itself within seconds",
    };
  }
  return status;
}

/**
 * Every project claude-tui knows: found by label in Docker, plus those the person has used
 * (from the app settings) that have nothing in Docker right now. Those whose folder is gone come
 * last, marked.
 */
export async function listProjects(
  engine: DockerEngine,
  knownDirs: readonly string[],
): Promise<ProjectStatus[]> {
  const [containers, volumes] = await Promise.all([
    engine.listContainers(everythingManaged),
    engine.listVolumes(everythingManaged),
  ]);
  const dirs = new Set(knownDirs);
  for (const labels of [...containers.map((c) => c.Labels), ...volumes.map((v) => v.Labels ?? {})]) {
    const dir = labels[LABEL.project];
    if (dir) dirs.add(dir);
  }
  const listed = [...dirs].sort().map((dir) => {
    const project = projectIdentity(dir);
    const mine = (labels: Record<string, string> | null) => labels?.[LABEL.projectId] === project.id;
    const own = containers.filter((c) => mine(c.Labels));
    const gateway = own.find((c) => c.Labels[LABEL.role] === 'gateway');
    const firewall =
      gateway?.State === 'running' ? 'see `claude-tui status`' : 'unknown: the gateway is not running';
    const status = summarize(
      project,
      own,
      volumes.filter((v) => mine(v.Labels)),
      firewall,
    );
    return { ...status, folderMissing: folderIsGone(dir) };
  });
  return [...listed.filter((p) => !p.folderMissing), ...listed.filter((p) => p.folderMissing)];
}
