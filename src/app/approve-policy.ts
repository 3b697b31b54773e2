import { approvePolicy, type PendingChange } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import type { UpDeps, UpResult } from '../project/up.js';
import { resetHostRunWatch } from './project-alerts.js';
import { upProject } from './up-project.js';

export interface ApproveResult {
  /** The project was up and was brought to the approved policy; absent when it was not up. */
  applied?: UpResult;
}

/**
 * Approves exactly the change the person reviewed (not whatever the files hold by now), then
 * brings a running project to it the way `up` does: the firewall reloaded in place, containers
 * recreated only when their mounts, env, image or networks changed. A project that is not up
 * takes it at its next `up`.
 */
export async function approveProjectPolicy(
  services: HostServices,
  project: ProjectIdentity,
  pending: PendingChange,
  progress: UpDeps['progress'],
): Promise<ApproveResult> {
  await approvePolicy(projectStateDir(project, services.env), pending);
  const gateway = await services.engine.inspectContainer(project.names.gateway);
  if (!gateway?.State.Running) {
    // An approval, like an up, is the point host-run files are measured from (up does it itself).
    await resetHostRunWatch(services, project);
    return {};
  }
  const { review: _review, hostRunChanged: _seen, ...applied } = await upProject(services, project, progress);
  return { applied };
}
