import type { FirewallPlan } from '../firewall/firewall-plan.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { loadPlan, npmRegistryFor } from './load-plan.js';
import { up, type UpDeps, type UpResult } from '../project/up.js';

/**
 * `up` as the person asks for it: plan from the project's files and the app settings, bring the
 * containers to that plan, and remember the project once something was made for it.
 */
export async function upProject(
  services: HostServices,
  project: ProjectIdentity,
  progress: UpDeps['progress'],
  options: { approveAllowlist?: boolean } = {},
): Promise<UpResult & { firewallPlan: FirewallPlan }> {
  const { config, plan } = await loadPlan(services, project, options);
  const result = await up(
    { engine: services.engine, progress, npmRegistry: npmRegistryFor(services, config) },
    project,
    plan,
  );
  if (result.changed) await services.settings.rememberProject(project.dir);
  return { ...result, firewallPlan: plan.firewall };
}
