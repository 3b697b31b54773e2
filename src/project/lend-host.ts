import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { log } from '../log.js';
import { gitIdentityFile, readHostGitIdentity, renderIdentity, writeIdentityFile } from './git-identity.js';
import type { HostServices } from './host-services.js';
import type { HostUser } from './host-user.js';
import type { ProjectIdentity } from './identity.js';
import type { SshAgentLend } from './lent-from-host.js';
import { detectPlatform } from './platform.js';
import { projectStateDir } from './project-state-dir.js';
import {
  agentUserIds,
  ensureRelay,
  pointRelayAt,
  prepareRelayDir,
  runningRelay,
  sshRelayPaths,
  stopRelay,
  type SshRelayPaths,
} from './ssh-relay.js';

export interface Lent {
  sshAgent?: SshAgentLend;
  gitIdentity: string;
  /** What the person should hear: an SSH agent asked for and not lent, and why. */
  notes: string[];
}

/**
 * Brings what the host lends the agent containers up to date, as `up` and every session start do:
 * the git identity file (`if-missing`: only made when there is none yet), and, when the approved
 * config asks for it, the SSH agent (the relay pointed at this shell's SSH_AUTH_SOCK and running).
 * Returns what the specs mount.
 */
export async function lendHost(
  services: Pick<HostServices, 'engine' | 'processes' | 'env' | 'cliPath'>,
  project: ProjectIdentity,
  hostUser: HostUser,
  config: ProjectConfig,
  options: { identity: 'refresh' | 'if-missing' } = { identity: 'refresh' },
): Promise<Lent> {
  const stateDir = projectStateDir(project, services.env);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const gitIdentity = gitIdentityFile(stateDir);
  if (options.identity === 'refresh' || !existsSync(gitIdentity)) await refreshGitIdentity(services, project);
  const relay = sshRelayPaths(stateDir);
  if (!config.ssh?.agent) {
    // Turned off (or never on): a relay left from before serves no one.
    if (await runningRelay(relay)) await stopRelay(relay);
    return { gitIdentity, notes: [] };
  }
  const platform = detectPlatform({
    os: process.platform,
    env: services.env,
    procVersion:
      process.platform === 'linux' ? await readFile('/proc/version', 'utf8').catch(() => '') : undefined,
    engine: await services.engine.info(),
  });
  const way = platform.sshAgent;
  if (way.kind === 'none') {
    return { gitIdentity, notes: [`ssh.agent is on, but ${way.reason}: the agent gets no SSH agent.`] };
  }
  if (way.kind === 'docker-desktop') return { gitIdentity, sshAgent: { kind: 'docker-desktop' }, notes: [] };
  await prepareRelayDir(relay, agentUserIds(hostUser), process.getuid?.() === 0);
  return {
    gitIdentity,
    // Mounted whether or not an agent answers now: one that does later needs no new container.
    sshAgent: { kind: 'relay', dir: relay.dir },
    notes: await startRelay(services, project, relay),
  };
}

/**
 * The identity file as the host's git has it now. `up` on a project already up skips it (asking
 * git costs a process), so it is asked when containers are made or started and at every session.
 */
export async function refreshGitIdentity(
  services: Pick<HostServices, 'processes' | 'env'>,
  project: ProjectIdentity,
): Promise<void> {
  const identity = await readHostGitIdentity(services.processes, project.dir);
  await writeIdentityFile(gitIdentityFile(projectStateDir(project, services.env)), renderIdentity(identity));
}

async function startRelay(
  services: Pick<HostServices, 'processes' | 'env' | 'cliPath'>,
  project: ProjectIdentity,
  relay: SshRelayPaths,
): Promise<string[]> {
  const hostSocket = await hostAgentSocket(services.env.SSH_AUTH_SOCK);
  if ('problem' in hostSocket) {
    const before = (await readFile(relay.upstream, 'utf8').catch(() => '')).trim();
    const then =
      before && (await runningRelay(relay))
        ? `the agent keeps the one lent before (${before}) while that one runs`
        : 'the agent has no SSH agent until `claude-tui up` runs where one is';
    return [`ssh.agent is on, but ${hostSocket.problem}: ${then}.`];
  }
  await pointRelayAt(relay, hostSocket.path);
  const { cliPath } = services;
  const started =
    cliPath !== undefined &&
    (await ensureRelay(relay, () =>
      services.processes.spawnDetached(process.execPath, [cliPath, 'ssh-relay', project.dir], {
        env: services.env,
      }),
    ));
  if (started) return [];
  log.warn('the ssh agent relay did not start', { project: project.dir });
  return ['ssh.agent is on, but the relay that lends your SSH agent did not start (see the log).'];
}

/** SSH_AUTH_SOCK as this shell has it, when it names a socket; otherwise what is wrong with it. */
async function hostAgentSocket(value: string | undefined): Promise<{ path: string } | { problem: string }> {
  if (!value) return { problem: 'SSH_AUTH_SOCK is not set here (no SSH agent in this shell)' };
  const path = resolve(value);
  const found = await stat(path).catch(() => undefined);
  if (!found) return { problem: `SSH_AUTH_SOCK names ${value}, which is gone` };
  if (!found.isSocket()) return { problem: `SSH_AUTH_SOCK names ${value}, which is not a socket` };
  return { path };
}
