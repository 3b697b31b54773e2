import type { BridgePolicy, BridgeTarget } from '../config/bridge-policy.js';
import type { ContainerSummary, DockerEngine } from '../docker/engine.js';
import { COMPOSE_LABEL, composeProjectFilter, LABEL } from '../docker/labels.js';

/** One container of the compose project, and the bridge commands that run in it. */
export interface Sidecar {
  /** Its compose service; undefined for a container without the service label. */
  service: string | undefined;
  container: string;
  /** The Engine's word: running, exited, restarting, paused, created... */
  state: string;
  /** The Engine's sentence: "Up 3 minutes", "Exited (0) 2 hours ago". */
  status: string;
  /** The bridge commands mapped to it, sorted; empty when the bridge does not reach it. */
  commands: string[];
}

/** A name of the bridge's `containers` that no container of the compose project answers to. */
export interface UnreachedTarget {
  /** The key in bridge.yaml's `containers`. */
  name: string;
  /** What it stands for, as a person reads it: `service php`, `container shop-php-1`. */
  target: string;
  commands: string[];
}

export interface SidecarView {
  composeProject: string;
  sidecars: Sidecar[];
  unreached: UnreachedTarget[];
}

/**
 * The compose project's containers, each with the commands the bridge sends it: one list call
 * to the Engine, by the compose project's label (what the bridge itself resolves by, so a
 * container of another project never shows as reachable).
 */
export async function listSidecars(
  engine: Pick<DockerEngine, 'listContainers'>,
  composeProject: string,
  bridge?: BridgePolicy,
): Promise<SidecarView> {
  const containers = await engine.listContainers(composeProjectFilter(composeProject));
  return mapSidecars(composeProject, containers, bridge);
}

/** The pure half of listSidecars: containers as the Engine lists them, mapped to commands. */
export function mapSidecars(
  composeProject: string,
  containers: readonly ContainerSummary[],
  bridge?: BridgePolicy,
): SidecarView {
  const sidecars: (Sidecar & { number: number })[] = containers
    // The filter asked for these already; a second look costs nothing and keeps this function honest.
    .filter((c) => c.Labels[COMPOSE_LABEL.project] === composeProject && !isOurs(c.Labels))
    .map((c) => ({
      service: c.Labels[COMPOSE_LABEL.service],
      container: containerName(c),
      state: c.State,
      status: c.Status,
      commands: [],
      number: Number(c.Labels[COMPOSE_LABEL.containerNumber] ?? 0),
    }));
  const unreached: UnreachedTarget[] = [];
  for (const [name, commands] of commandsByTarget(bridge)) {
    const target = bridge?.containers[name];
    const reached = target ? containerFor(target, sidecars) : undefined;
    if (reached) reached.commands.push(...commands);
    else unreached.push({ name, target: target ? describeTarget(target) : 'not in containers', commands });
  }
  for (const sidecar of sidecars) sidecar.commands.sort();
  sidecars.sort(
    (a, b) => (a.service ?? '').localeCompare(b.service ?? '') || a.container.localeCompare(b.container),
  );
  return {
    composeProject,
    sidecars: sidecars.map(({ number: _, ...sidecar }) => sidecar),
    unreached: unreached.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** The bridge's command names grouped by the `containers` key each one runs in. */
function commandsByTarget(bridge: BridgePolicy | undefined): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [command, spec] of Object.entries(bridge?.commands ?? {})) {
    grouped.set(spec.container, [...(grouped.get(spec.container) ?? []), command].sort());
  }
  return grouped;
}

/**
 * The one container a target stands for, chosen as the bridge chooses it: a service's running
 * container with the lowest compose number (a stopped one when none runs, so that the person sees
 * why its commands fail), or the container of that name. The plain form is a service when the
 * project has one of that name, else a container of that name.
 */
function containerFor<T extends Sidecar & { number: number }>(
  target: BridgeTarget,
  all: readonly T[],
): T | undefined {
  const ofService = (service: string) => {
    const found = all.filter((s) => s.service === service).sort((a, b) => a.number - b.number);
    return found.find((s) => s.state === 'running') ?? found[0];
  };
  const named = (name: string) => all.find((s) => s.container === name);
  if ('service' in target) return ofService(target.service);
  if ('containerName' in target) return named(target.containerName);
  return ofService(target.serviceOrContainer) ?? named(target.serviceOrContainer);
}

/** claude-tui's own containers (a compose export puts its gateway and agent in a compose project): never a sidecar. */
function isOurs(labels: Record<string, string>): boolean {
  return labels[LABEL.managed] !== undefined || labels[LABEL.role] !== undefined;
}

export function describeTarget(target: BridgeTarget): string {
  if ('service' in target) return `service ${target.service}`;
  if ('containerName' in target) return `container ${target.containerName}`;
  return target.serviceOrContainer;
}

function containerName(container: ContainerSummary): string {
  return container.Names[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12);
}
