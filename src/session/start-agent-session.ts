import type { Credential } from '../auth/credential.js';
import { credentialsForSession } from '../auth/session-credentials.js';
import { UserError } from '../errors.js';
import { log } from '../log.js';
import { firewallStatusForStart } from '../firewall/gateway-control.js';
import { firewallStatusPath } from '../firewall/policy-store.js';
import { agentUnavailable } from '../project/agent-exec.js';
import { approvedPolicy } from '../policy/approved-config.js';
import type { HostServices } from '../project/host-services.js';
import { hostUserFor } from '../project/host-user.js';
import type { ProjectIdentity } from '../project/identity.js';
import { lendBridge } from '../project/lend-bridge.js';
import { lendHost, refreshGitIdentity } from '../project/lend-host.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { agentCommand } from './agent-command.js';
import { syncMcpSettings } from './mcp-settings.js';
import { validateSessionName } from './session-names.js';
import { startSession } from './sessions.js';
import type { SessionEndWait } from './wait-session.js';
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
  /** Also wait for the session's end, in the same exec (`run`): at most this much transcript. */
  waitMaxBytes?: number;
}

/**
 * Starts the project's agent in a new session, only behind a working firewall (or one the
 * project turned off), and makes sure the background notifier runs for it.
 */
export async function startAgentSession(
  services: HostServices,
  project: ProjectIdentity,
  request: StartRequest,
): Promise<{ name: string; command: string[]; end?: SessionEndWait }> {
  if (services.engine.remote) throw folderSessionOnRemoteEngine(services.engine.endpoint);
  // What can be asked at once is (most of a start is waiting for the Engine), the answers taken in
  // order: a project that is down is said to be down first. The agent command and yolo as
  // approved: the workspace's copy is only a proposal. The script picks a default name itself.
  const stateDir = projectStateDir(project, services.env);
  const name = request.name ? validateSessionName(request.name) : undefined;
  // The identity as this shell's git has it now reaches the new session: read meanwhile, and only
  // waited for once the session runs (its file is read at each commit, which comes much later).
  // A start that goes on to wait (`run`) reads it once the session runs, while the agent works:
  // starting git (and loading the library that runs it) would hold up the start itself.
  const refreshIdentity = () =>
    refreshGitIdentity(services, project).catch((error: unknown) =>
      log.warn('the git identity could not be refreshed for a new session', { error: String(error) }),
    );
  const identity = request.waitMaxBytes ? undefined : refreshIdentity();
  const [, { config, bridge }, credentials] = inOrder(
    await Promise.allSettled([
      assertSessionCanStart(services, project),
      approvedPolicy(project.dir, stateDir),
      credentialsForSession(services, project.dir, request.credential),
    ]),
  );
  // Every session starts with the MCP servers as approved now, whatever the agent did to its
  // settings since (no exec while the project has none of ours).
  await syncMcpSettings(services.engine, project, config, stateDir, 'session-start');
  const command = agentCommand(config, request.agentArgs, services.env);
  // The SSH agent as this shell has it (`up` told what is missing), and a bridge relay that died
  // (or a host that restarted) back for the new session: apart from each other, so at once.
  const hostUser = hostUserFor(project.dir);
  await Promise.all([
    lendHost(services, project, hostUser, config, { identity: 'if-missing' }),
    lendBridge(services, project, hostUser, bridge !== undefined),
  ]);
  const started = await startSession(
    services.engine,
    workspaceTarget(project),
    name,
    command,
    request.size,
    credentials,
    request.waitMaxBytes ? { waitMaxBytes: request.waitMaxBytes } : {},
  );
  await Promise.all([ensureNotifier(services, project, request.cliPath), identity ?? refreshIdentity()]);
  return { ...started, command };
}

/** A folder session works in the project's folder, which an Engine on another machine cannot see. */
export function folderSessionOnRemoteEngine(endpoint: string): UserError {
  return new UserError(
    `This project's Docker Engine (${endpoint}) is on another machine, which cannot see this folder: remote projects run git sessions.`,
    'Start a git session: `claude-tui start --git` or `claude-tui run --git` (in the dashboard, `s` then `--git NAME`).',
  );
}

/** A session starts only in a running agent, behind a working firewall (or one turned off). */
export async function assertSessionCanStart(
  services: Pick<HostServices, 'engine' | 'env'>,
  project: ProjectIdentity,
): Promise<void> {
  const statusFile = services.engine.remote
    ? undefined
    : firewallStatusPath(projectStateDir(project, services.env));
  const [problem, firewall] = await Promise.all([
    agentUnavailable(services.engine, project),
    firewallStatusForStart(services.engine, project.names.gateway, statusFile),
  ]);
  if (problem) throw problem;
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
