import type { HostRunChange } from '../policy/host-run-watch.js';
import type { PolicyReview } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { up, type UpDeps, type UpResult } from '../project/up.js';
import { loadPlan, npmRegistryFor, type PolicyUse } from './load-plan.js';
import { changedHostRunFiles, resetHostRunWatch } from './project-alerts.js';
import { containerShadows, secretNotesAfterUp } from './secret-shadow-report.js';

/**
 * `up` as the person asks for it: plan from the approved policy and the app settings, bring the
 * containers to that plan, and remember the project once something was made for it. Files that
 * run on the host and changed since the last `up` are reported, then watched from now on.
 */
export async function upProject(
  services: HostServices,
  project: ProjectIdentity,
  progress: UpDeps['progress'],
  options: { approveAll?: boolean } = {},
): Promise<UpResult & { review: PolicyReview; hostRunChanged: HostRunChange[]; secretNotes: string[] }> {
  const use: PolicyUse = options.approveAll ? 'approve-all' : 'apply';
  const [{ review, plan, app }, agentBefore] = await Promise.all([
    loadPlan(services, project, use),
    services.engine.inspectContainer(project.names.agent),
  ]);
  const measured = await changedHostRunFiles(services, project, app);
  const result = await up(
    { engine: services.engine, progress, npmRegistry: npmRegistryFor(services, review.approved.config) },
    project,
    plan,
  );
  if (result.changed) await services.settings.rememberProject(project.dir);
  // Told once, here, and measured from now on (a baseline that still holds is kept as it is).
  if (!measured || measured.length) await resetHostRunWatch(services, project, app);
  const agentMade = result.actions.some(
    (a) => /^(created|replaced) /.test(a) && a.endsWith(project.names.agent),
  );
  const before = agentBefore && containerShadows(agentBefore, plan.stateDir);
  const secretNotes = secretNotesAfterUp(plan.secrets, before, agentMade);
  return { ...result, review, hostRunChanged: measured ?? [], secretNotes };
}
