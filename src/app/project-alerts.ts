import type { AppSettingsStore } from '../config/app-settings.js';
import {
  hostRunChanges,
  recordHostRunBaseline,
  watchedPaths,
  type HostRunChange,
} from '../policy/host-run-watch.js';
import type { PendingChange } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { loadPolicy } from './load-plan.js';

/** What in the workspace needs the person's eyes: a policy change waiting, host-run files changed. */
export interface ProjectAlerts {
  pending: PendingChange | null;
  /** When the policy was last approved; null when never (the project runs on the defaults). */
  approvedAt: string | null;
  /** Files that run on the host later, changed since the last `up` or approval. */
  hostRun: HostRunChange[];
}

type AlertServices = Pick<HostServices, 'env'> & { settings: Pick<AppSettingsStore, 'read'> };

export async function projectAlerts(
  services: AlertServices,
  project: ProjectIdentity,
): Promise<ProjectAlerts> {
  const [review, hostRun] = await Promise.all([
    loadPolicy(services, project, 'view'),
    changedHostRunFiles(services, project),
  ]);
  return { pending: review.pending, approvedAt: review.approvedAt, hostRun };
}

export async function changedHostRunFiles(
  services: AlertServices,
  project: ProjectIdentity,
): Promise<HostRunChange[]> {
  const paths = watchedPaths((await services.settings.read()).watchPaths);
  return hostRunChanges(project.dir, projectStateDir(project, services.env), paths);
}

/** The files as they are now become the point later changes are measured from. */
export async function resetHostRunWatch(services: AlertServices, project: ProjectIdentity): Promise<void> {
  const paths = watchedPaths((await services.settings.read()).watchPaths);
  await recordHostRunBaseline(project.dir, projectStateDir(project, services.env), paths);
}

export function describeHostRunChanges(changes: readonly HostRunChange[]): string {
  return changes.map((c) => `${c.path} (${c.change})`).join(', ');
}
