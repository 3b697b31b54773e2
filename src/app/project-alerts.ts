import type { AppSettings, AppSettingsStore } from '../config/app-settings.js';
import {
  hostRunChanges,
  recordHostRunBaseline,
  watchedPaths,
  type HostRunChange,
} from '../policy/host-run-watch.js';
import { pendingPolicy, type PendingChange } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';

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
  const [policy, hostRun] = await Promise.all([
    pendingPolicy(project.dir, projectStateDir(project, services.env)),
    changedHostRunFiles(services, project),
  ]);
  return { ...policy, hostRun: hostRun ?? [] };
}

/** Undefined when nothing was measured yet (no `up` or approval since the watch began). */
export async function changedHostRunFiles(
  services: AlertServices,
  project: ProjectIdentity,
  app?: Pick<AppSettings, 'watchPaths'>,
): Promise<HostRunChange[] | undefined> {
  const paths = watchedPaths((app ?? (await services.settings.read())).watchPaths);
  return hostRunChanges(project.dir, projectStateDir(project, services.env), paths);
}

/** The files as they are now become the point later changes are measured from. */
export async function resetHostRunWatch(
  services: AlertServices,
  project: ProjectIdentity,
  app?: Pick<AppSettings, 'watchPaths'>,
): Promise<void> {
  const paths = watchedPaths((app ?? (await services.settings.read())).watchPaths);
  await recordHostRunBaseline(project.dir, projectStateDir(project, services.env), paths);
}

export function describeHostRunChanges(changes: readonly HostRunChange[]): string {
  return changes.map((c) => `${c.path} (${c.change})`).join(', ');
}
