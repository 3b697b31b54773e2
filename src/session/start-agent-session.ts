import type { Credential } from '../auth/credential.js';
import { credentialsForSession } from '../auth/session-credentials.js';
import { UserError } from '../errors.js';
import { readFirewallStatus } from '../firewall/gateway-control.js';
import { agentUnavailable } from '../project/agent-exec.js';
import { approvedPolicy } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import { hostUserFor } from '../project/host-user.js';
import type { ProjectIdentity } from '../project/identity.js';
import { lendHost } from '../project/lend-host.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { agentCommand } from './agent-command.js';
import { syncMcpSettings } from './mcp-settings.js';
import { nextSessionName, validateSessionName } from './session-names.js';
import { listSessions, startSession } from './sessions.js';
import { workspaceTarget } from './session-target.js';
import { ensureWatcher } from './watcher-process.js';

export interface StartRequest {
  /** Default: the next free s1, s2, ... */
  name?: string;
  agentArgs: readonly string[];
  size: { cols: number; rows: number };
  /** The claude-tui script that runs the background notifier (`watch --background`). */
  cliPath: string;
  /** Claude's credential for this session only (`run --token-stdin`), instead of the stored one. */
  credential?: Credential;
}

/**
 * Starts the project's agent in a new session, only behind a working firewall (or one the
 * project turned off), and makes sure the background notifier runs for it.
 */
export async function startAgentSession(
  services: HostServices,
  project: ProjectIdentity,
  request: StartRequest,
): Promise<{ name: string; command: string[] }> {
  // Three questions asked at once (most of a start is waiting for the Engine), their answers taken
  // in order: a project that is down is said to be down, not that its sessions could not be listed.
  // The agent command and yolo as approved: the workspace's copy is only a proposal.
  const stateDir = projectStateDir(project, services.env);
  const [, { config }, sessions] = inOrder(
    await Promise.allSettled([
      assertSessionCanStart(services, project),
      approvedPolicy(project.dir, stateDir),
      listSessions(services.engine, project),
    ]),
  );
  // Every session starts with the MCP servers as approved now, whatever the agent did to its
  // settings since (no exec while the project has none of ours).
  await syncMcpSettings(services.engine, project, config, stateDir, 'session-start');
  const existing = sessions.map((s) => s.name);
  const name = request.name ? validateSessionName(request.name) : nextSessionName(existing);
  const command = agentCommand(config, request.agentArgs, services.env);
  const credentials = await credentialsForSession(services, project.dir, request.credential);
  // The identity and SSH agent as this shell has them reach the new session (`up` told what is missing).
  await lendHost(services, project, hostUserFor(project.dir), config);
  await startSession(services.engine, workspaceTarget(project), name, command, request.size, credentials);
  await ensureNotifier(services, project, request.cliPath);
  return { name, command };
}

/** A session starts only in a running agent, behind a working firewall (or one turned off). */
export async function assertSessionCanStart(
  services: Pick<HostServices, 'engine'>,
  project: ProjectIdentity,
): Promise<void> {
  const problem = await agentUnavailable(services.engine, project);
  if (problem) throw problem;
  const firewall = await readFirewallStatus(services.engine, project.names.gateway);
  if (!firewall.startsWith('protected') && !firewall.startsWith('off')) {
    throw new UserError(
      `Not starting a session: the project's firewall is ${firewall}.`,
      'Fix the reason above (claude-tui status, claude-tui allow apply), or turn the firewall off in the project config.',
    );
  }
}

/** Notifications must reach the person while nothing of claude-tui is open. */
export function ensureNotifier(
  services: HostServices,
  project: ProjectIdentity,
  cliPath: string,
): Promise<void> {
  return ensureWatcher(
    services.processes,
    projectStateDir(project, services.env),
    project.dir,
    cliPath,
    services.env,
  );
}

/** The values of settled promises, or the first failure in their order. */
function inOrder<T extends readonly unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
