import { loadProjectConfig } from '../config/load-project-config.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { planFirewall, type FirewallPlan } from '../firewall/firewall-plan.js';
import { resolveNpmRegistry } from '../image/npm-registry.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { planProject, type ProjectPlan } from '../project/project-runtime.js';
import { projectStateDir } from '../project/project-state-dir.js';

type PlanServices = Pick<HostServices, 'processes' | 'settings' | 'env'>;

export async function loadPlan(
  services: PlanServices,
  project: ProjectIdentity,
  options: { approveAllowlist?: boolean } = {},
): Promise<{ config: ProjectConfig; plan: ProjectPlan }> {
  const [config, app] = await Promise.all([loadProjectConfig(project.dir), services.settings.read()]);
  const plan = await planProject(project, config, app, {
    env: services.env,
    processes: services.processes,
    imagesDir: services.env.CLAUDE_TUI_IMAGES_DIR,
    approveAllowlist: options.approveAllowlist,
  });
  return { config, plan };
}

/**
 * Only the firewall's part of a project's plan, for allowlist work: no image inputs, no CA files
 * read, nothing it does not use.
 */
export async function loadFirewallPlan(
  services: PlanServices,
  project: ProjectIdentity,
  options: { approveAllowlist?: boolean } = {},
): Promise<{ stateDir: string; firewall: FirewallPlan }> {
  const [config, app] = await Promise.all([loadProjectConfig(project.dir), services.settings.read()]);
  const stateDir = projectStateDir(project, services.env);
  const firewall = await planFirewall(
    project.dir,
    stateDir,
    config,
    { processes: services.processes, env: services.env, app },
    { approve: options.approveAllowlist },
  );
  return { stateDir, firewall };
}

export function npmRegistryFor(
  services: Pick<HostServices, 'processes' | 'env'>,
  config: ProjectConfig,
): () => Promise<string> {
  return () => resolveNpmRegistry(config.image?.npmRegistry, services.env, services.processes);
}
