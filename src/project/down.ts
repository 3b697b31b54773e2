import type { DockerEngine } from '../docker/engine.js';
import { LABEL, projectFilter } from '../docker/labels.js';
import type { ProjectIdentity } from './identity.js';

export interface DownResult {
  removed: string[];
}

/** Stops and removes the project's containers and network; volumes (the agent's home) stay. */
export async function down(engine: DockerEngine, project: ProjectIdentity): Promise<DownResult> {
  const containers = await engine.listContainers(projectFilter(project.id));
  const removed: string[] = [];
  // The agent first: it lives in the gateway's namespace.
  const order = (role: string | undefined) => (role === 'agent' ? 0 : role === 'gateway' ? 2 : 1);
  containers.sort((a, b) => order(a.Labels[LABEL.role]) - order(b.Labels[LABEL.role]));
  for (const container of containers) {
    if (container.State === 'running') await engine.stopContainer(container.Id, 5);
    await engine.removeContainer(container.Id);
    removed.push(container.Names[0]?.replace(/^\//, '') ?? container.Id);
  }
  const networks = await engine.listNetworks(projectFilter(project.id));
  for (const network of networks) {
    await engine.removeNetwork(network.Id);
    removed.push(network.Name);
  }
  return { removed };
}
