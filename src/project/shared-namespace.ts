import type { ContainerInspect, DockerEngine } from '../docker/engine.js';
import type { ProjectIdentity } from './identity.js';

/**
 * Whether the running agent sits in a network namespace its gateway no longer owns. The agent
 * joins the gateway's namespace when it starts; a gateway that restarted since (Docker gives it a
 * new namespace) or was replaced leaves the agent in the old one, with loopback only: no name
 * resolves, nothing answers, until the agent is restarted into the new one.
 */
export function agentLeftBehind(gateway: ContainerInspect, agent: ContainerInspect): boolean {
  if (!gateway.State.Running || !agent.State.Running) return false;
  if (agent.HostConfig.NetworkMode !== `container:${gateway.Id}`) return true;
  return startedAt(agent) < startedAt(gateway);
}

/** Both containers looked at once; undefined when either is missing. */
export async function inspectPair(
  engine: DockerEngine,
  project: ProjectIdentity,
): Promise<{ gateway: ContainerInspect; agent: ContainerInspect } | undefined> {
  const [gateway, agent] = await Promise.all([
    engine.inspectContainer(project.names.gateway),
    engine.inspectContainer(project.names.agent),
  ]);
  return gateway && agent ? { gateway, agent } : undefined;
}

/** Start time with the Engine's nanoseconds kept: a restart within the same millisecond still counts. */
function startedAt(container: ContainerInspect): string {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(container.State.StartedAt);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}` : container.State.StartedAt;
}
