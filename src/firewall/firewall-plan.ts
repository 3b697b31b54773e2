import { join } from 'node:path';
import type { AppSettings } from '../config/app-settings.js';
import { mcpHostPorts } from '../config/mcp-servers.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { stateDir } from '../paths.js';
import type { ProcessRunner } from '../system/process.js';
import type { AllowEntry } from './allowlist.js';
import { githubRanges } from './github-meta.js';
import { buildPolicy, type FirewallPolicy } from './policy.js';
import { packageRegistryHosts } from './registries.js';

export interface FirewallPlanDeps {
  processes: ProcessRunner;
  env: NodeJS.ProcessEnv;
  app: Pick<AppSettings, 'githubMeta' | 'selfCheck'>;
}

/**
 * Decides what the gateway should enforce: the defaults, the host's package registries, GitHub's
 * ranges, and the project's own entries, as approved (the caller decides what is approved).
 */
export async function planFirewall(
  config: ProjectConfig,
  projectEntries: readonly AllowEntry[],
  deps: FirewallPlanDeps,
): Promise<FirewallPolicy> {
  const useDefaults = config.firewall?.defaults !== false && config.firewall?.enabled !== false;
  const cache = join(stateDir(deps.env), 'cache');
  const [registryHosts, ranges] = useDefaults
    ? await Promise.all([
        packageRegistryHosts(deps.processes, deps.env, join(cache, 'registries.json')),
        deps.app.githubMeta === false ? undefined : githubRanges(join(cache, 'github-meta.json')),
      ])
    : [[], undefined];
  return buildPolicy({
    config: config.firewall,
    appSelfCheck: deps.app.selfCheck,
    projectEntries,
    mcpHostPorts: mcpHostPorts(config),
    registryHosts,
    githubRanges: ranges,
  });
}
