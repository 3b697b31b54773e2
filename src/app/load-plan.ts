import type { AppSettings } from '../config/app-settings.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { planFirewall } from '../firewall/firewall-plan.js';
import type { FirewallPolicy } from '../firewall/policy.js';
import { resolveNpmRegistry } from '../image/npm-registry.js';
import { reviewPolicy, settlePolicy, type PolicyReview } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { planProject, type ProjectPlan } from '../project/project-runtime.js';
import { projectStateDir } from '../project/project-state-dir.js';

type PlanServices = Pick<HostServices, 'processes' | 'settings' | 'env'>;

/**
 * How the project's policy files are taken: `view` only reads them (status, the editor's view);
 * `apply` also approves a change that only narrows the agent's rights, as an operation that applies
 * the policy may; `approve-all` approves any change that can be (the person said --yes).
 */
export type PolicyUse = 'view' | 'apply' | 'approve-all';

export function loadPolicy(
  services: Pick<HostServices, 'env'>,
  project: ProjectIdentity,
  use: PolicyUse,
): Promise<PolicyReview> {
  const stateDir = projectStateDir(project, services.env);
  return use === 'view'
    ? reviewPolicy(project.dir, stateDir)
    : settlePolicy(project.dir, stateDir, { approveAll: use === 'approve-all' });
}

/** The two things every plan starts from, read at once: what is approved, and the host's settings. */
async function policyAndSettings(services: PlanServices, project: ProjectIdentity, use: PolicyUse) {
  const [review, app] = await Promise.all([loadPolicy(services, project, use), services.settings.read()]);
  return { review, app };
}

/** The whole plan for `up` (or `compose`, with its own state folder), from the approved policy. */
export async function loadPlan(
  services: PlanServices,
  project: ProjectIdentity,
  use: PolicyUse,
  options: { stateDir?: string; remote?: { endpoint: string } } = {},
): Promise<{ review: PolicyReview; plan: ProjectPlan; app: AppSettings }> {
  const { review, app } = await policyAndSettings(services, project, use);
  const plan = await planProject(project, review.approved, app, {
    env: services.env,
    processes: services.processes,
    imagesDir: services.env.CLAUDE_TUI_IMAGES_DIR,
    stateDir: options.stateDir,
    ...(options.remote ? { remote: options.remote } : {}),
  });
  return { review, plan, app };
}

/**
 * Only the firewall's part of the plan, for allowlist work: no image inputs, no CA files read,
 * nothing it does not use.
 */
export async function loadFirewallPlan(
  services: PlanServices,
  project: ProjectIdentity,
  use: PolicyUse,
): Promise<{ stateDir: string; review: PolicyReview; policy: FirewallPolicy }> {
  const { review, app } = await policyAndSettings(services, project, use);
  const policy = await planFirewall(review.approved.config, review.approved.allowEntries, {
    processes: services.processes,
    env: services.env,
    app,
  });
  return { stateDir: projectStateDir(project, services.env), review, policy };
}

export function npmRegistryFor(
  services: Pick<HostServices, 'processes' | 'env'>,
  config: ProjectConfig,
): () => Promise<string> {
  return () => resolveNpmRegistry(config.image?.npmRegistry, services.env, services.processes);
}

/** For a project on the Engine in use: a remote Engine's plan binds nothing of this machine. */
export function placementOf(engine: Pick<HostServices['engine'], 'remote' | 'endpoint'>): {
  remote?: { endpoint: string };
} {
  return engine.remote ? { remote: { endpoint: engine.endpoint } } : {};
}
