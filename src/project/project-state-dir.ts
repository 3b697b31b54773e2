import { join } from 'node:path';
import { stateDir } from '../paths.js';
import type { ProjectIdentity } from './identity.js';

/**
 * Per-project files kept on the host, outside the workspace the agent can write: the firewall
 * policy the gateway reads, the approved allowlist, the agent's resolv.conf.
 */
export function projectStateDir(project: ProjectIdentity, env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'projects', project.id);
}
