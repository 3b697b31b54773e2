import { summarizePending } from '../policy/describe-pending.js';
import type { ProjectIdentity } from '../project/identity.js';
import type { WorkspaceEvent } from '../session/notify.js';
import { describeHostRunChanges, projectAlerts } from './project-alerts.js';

/** Workspace files change with no event to hear (a bind mount): looked at this often. */
export const WORKSPACE_LOOK_EVERY_MS = 5000;

/**
 * Follows a project's alerts for a watcher that notifies: each new waiting policy change and each
 * new set of changed host-run files is told once (again only when it changes), never on every look.
 */
export function watchWorkspace(
  services: Parameters<typeof projectAlerts>[0],
  project: ProjectIdentity,
  onEvent: (event: WorkspaceEvent) => void,
  everyMs = WORKSPACE_LOOK_EVERY_MS,
): { stop: () => void } {
  const told = { policy: '', hostRun: '' };
  let looking = false;
  const look = async () => {
    if (looking) return;
    looking = true;
    try {
      const alerts = await projectAlerts(services, project);
      const base = { project: project.dir, projectName: project.slug, at: new Date().toISOString() };
      const pending = alerts.pending && { ...alerts.pending, snapshot: undefined };
      const policy = pending ? JSON.stringify(pending) : '';
      if (policy && policy !== told.policy) {
        const summary = summarizePending(alerts.pending)!.replace(/^policy change (waits: )?/, '');
        onEvent({ ...base, kind: 'policy-change', detail: summary });
      }
      told.policy = policy;
      const hostRun = alerts.hostRun.length ? JSON.stringify(alerts.hostRun) : '';
      if (hostRun && hostRun !== told.hostRun) {
        onEvent({ ...base, kind: 'host-run-change', detail: describeHostRunChanges(alerts.hostRun) });
      }
      told.hostRun = hostRun;
    } catch {
      // A folder gone or a record unreadable: the commands say so when the person runs them.
    } finally {
      looking = false;
    }
  };
  void look();
  const timer = setInterval(() => void look(), everyMs);
  return { stop: () => clearInterval(timer) };
}
