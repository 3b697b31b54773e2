import type { BridgeTarget } from '../config/bridge-policy.js';
import type { ContainerSummary, DockerEngine, Labels } from '../docker/engine.js';
import { LABEL } from '../docker/labels.js';

/** The labels Docker Compose puts on the containers it makes. */
export const COMPOSE_PROJECT = 'com.docker.compose.project';
export const COMPOSE_SERVICE = 'com.docker.compose.service';
const COMPOSE_NUMBER = 'com.docker.compose.container-number';

export type Resolved = { id: string; name: string } | { problem: string };

/**
 * The one container a bridge target stands for, found by the compose project's labels: a
 * service's running container, or a container by name that carries the compose project's label.
 * Nothing of another compose project and none of claude-tui's own containers (its gateway holds
 * the firewall) is ever an answer, whatever the names.
 */
export async function resolveContainer(
  engine: DockerEngine,
  composeProject: string,
  target: BridgeTarget,
): Promise<Resolved> {
  if ('service' in target) return byService(engine, composeProject, target.service, true);
  if ('containerName' in target) return byName(engine, composeProject, target.containerName);
  const service = await byService(engine, composeProject, target.serviceOrContainer, false);
  return service ?? byName(engine, composeProject, target.serviceOrContainer);
}

async function byService(
  engine: DockerEngine,
  project: string,
  service: string,
  required: true,
): Promise<Resolved>;
async function byService(
  engine: DockerEngine,
  project: string,
  service: string,
  required: false,
): Promise<Resolved | undefined>;
async function byService(
  engine: DockerEngine,
  project: string,
  service: string,
  required: boolean,
): Promise<Resolved | undefined> {
  const found = (await engine.listContainers({ [COMPOSE_PROJECT]: project, [COMPOSE_SERVICE]: service }))
    // The Engine filtered by label already; asked again, so that no answer rests on the filter alone.
    .filter((c) => c.Labels[COMPOSE_PROJECT] === project && c.Labels[COMPOSE_SERVICE] === service)
    .filter((c) => !isOurs(c.Labels));
  if (!found.length) {
    return required
      ? { problem: `the compose project ${project} has no container of service ${service}` }
      : undefined;
  }
  const running = found.filter((c) => c.State === 'running').sort(byNumber);
  const first = running[0];
  if (first) return { id: first.Id, name: nameOf(first) };
  const stopped = found[0]!;
  return {
    problem: `service ${service}'s container ${nameOf(stopped)} is not running (${stopped.State}); start it (docker compose up -d ${service})`,
  };
}

async function byName(engine: DockerEngine, project: string, name: string): Promise<Resolved> {
  const found = await engine.inspectContainer(name);
  // By name only: an id (or a prefix of one) would reach a container the file does not name.
  if (!found || found.Name !== `/${name}`) return { problem: `no container named ${name}` };
  const labels = found.Config.Labels ?? {};
  if (labels[COMPOSE_PROJECT] !== project || isOurs(labels)) {
    return { problem: `the container ${name} is not one of the compose project ${project}` };
  }
  if (!found.State.Running) {
    return { problem: `the container ${name} is not running (${found.State.Status}); start it first` };
  }
  return { id: found.Id, name };
}

/** claude-tui's own containers (an exported compose file puts them in a compose project). */
function isOurs(labels: Labels): boolean {
  return labels[LABEL.managed] !== undefined || labels[LABEL.role] !== undefined;
}

const byNumber = (a: ContainerSummary, b: ContainerSummary) =>
  Number(a.Labels[COMPOSE_NUMBER] ?? 0) - Number(b.Labels[COMPOSE_NUMBER] ?? 0);

const nameOf = (c: ContainerSummary) => (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
