import type { EngineInfo } from '../docker/engine.js';

/**
 * Which machine and which Docker claude-tui runs with, and what that changes for a project: where
 * the agent's SSH agent comes from, what host.docker.internal reaches, whose the files the agent
 * writes are. A pure function of what the host says, so every platform is tested on any one.
 */
export interface PlatformInputs {
  /** process.platform */
  os: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** /proc/version on Linux (WSL's kernel names itself there). */
  procVersion?: string;
  /** The Engine's `GET /info`, when it answered. */
  engine?: Pick<EngineInfo, 'OperatingSystem' | 'Name' | 'SecurityOptions'>;
}

export type HostKind = 'linux' | 'wsl' | 'macos' | 'windows' | 'other';

/** native: an Engine on this kernel; vm: another Engine in a VM of its own (Colima, OrbStack, ...). */
export type EngineKind = 'native' | 'rootless' | 'docker-desktop' | 'vm' | 'unknown';

/**
 * How the host's SSH agent reaches the agent container: relayed from SSH_AUTH_SOCK through a
 * socket of ours (an Engine on this kernel), Docker Desktop's own forwarding socket, or not at all.
 */
export type SshAgentWay = { kind: 'relay' } | { kind: 'docker-desktop' } | { kind: 'none'; reason: string };

export interface Platform {
  host: HostKind;
  engine: EngineKind;
  /** Both in a few words: "Linux, Docker Engine (rootless)", "macOS, Docker Desktop". */
  name: string;
  sshAgent: SshAgentWay;
  /** What differs here, one sentence each. */
  notes: { sshAgent: string; hostDockerInternal: string; files: string };
  /** Something here works against the project (the agent's files are not yours). */
  caution: boolean;
}

/** Docker Desktop forwards the host's agent to this path in its VM (macOS and Linux). */
export const DOCKER_DESKTOP_SSH_SOCKET = '/run/host-services/ssh-auth.sock';

export function detectPlatform(inputs: PlatformInputs): Platform {
  const host = hostKind(inputs);
  const engine = engineKind(host, inputs.engine);
  const sshAgent = sshAgentWay(host, engine);
  return {
    host,
    engine,
    name: `${hostName(host, inputs)}, ${engineName(engine, inputs.engine)}`,
    sshAgent,
    notes: {
      sshAgent: sshAgentNote(sshAgent, inputs.env),
      hostDockerInternal: hostDockerInternalNote(host, engine),
      files: filesNote(host, engine),
    },
    caution: engine === 'rootless',
  };
}

function hostKind({ os, env, procVersion }: PlatformInputs): HostKind {
  if (os === 'darwin') return 'macos';
  if (os === 'win32') return 'windows';
  if (os !== 'linux') return 'other';
  return env.WSL_DISTRO_NAME || /microsoft/i.test(procVersion ?? '') ? 'wsl' : 'linux';
}

function engineKind(host: HostKind, info: PlatformInputs['engine']): EngineKind {
  if (!info) return 'unknown';
  if (info.OperatingSystem === 'Docker Desktop' || info.Name === 'docker-desktop') return 'docker-desktop';
  if ((info.SecurityOptions ?? []).some((option) => option.split(',').includes('name=rootless')))
    return 'rootless';
  // Off Linux, an Engine that is not Docker Desktop runs in a VM of another tool.
  return host === 'linux' || host === 'wsl' ? 'native' : 'vm';
}

function hostName(host: HostKind, { os, env, procVersion }: PlatformInputs): string {
  switch (host) {
    case 'wsl': {
      // WSL 1 has no kernel of its own ("Microsoft" in /proc/version); WSL 2's is "...-microsoft-standard-WSL2".
      const version = /WSL2|microsoft-standard/i.test(procVersion ?? '') ? 'WSL 2' : 'WSL';
      return env.WSL_DISTRO_NAME ? `${version} (${env.WSL_DISTRO_NAME})` : version;
    }
    case 'linux':
      return 'Linux';
    case 'macos':
      return 'macOS';
    case 'windows':
      return 'Windows';
    default:
      return os;
  }
}

function engineName(engine: EngineKind, info: PlatformInputs['engine']): string {
  switch (engine) {
    case 'docker-desktop':
      return 'Docker Desktop';
    case 'rootless':
      return 'Docker Engine (rootless)';
    case 'native':
      return 'Docker Engine';
    case 'vm':
      return `an Engine in a VM (${info?.Name || info?.OperatingSystem || 'unnamed'})`;
    default:
      return 'the Engine did not answer';
  }
}

function sshAgentWay(host: HostKind, engine: EngineKind): SshAgentWay {
  if (host === 'windows' || host === 'other')
    return { kind: 'none', reason: 'claude-tui lends an SSH agent on Linux, WSL and macOS only' };
  if (engine === 'docker-desktop') {
    // Docker Desktop forwards the host's agent on macOS and Linux; under WSL the Engine shares
    // the distribution's kernel, so the distribution's own agent is relayed as on Linux.
    return host === 'wsl' ? { kind: 'relay' } : { kind: 'docker-desktop' };
  }
  if (engine === 'rootless') {
    return {
      kind: 'none',
      reason:
        "under rootless Docker the agent's user is a sub-UID of yours, and an SSH agent serves only its own user",
    };
  }
  if (engine === 'vm' || host === 'macos') {
    return {
      kind: 'none',
      reason:
        'the Engine runs in a VM that cannot reach a socket on this machine (Docker Desktop forwards one)',
    };
  }
  return { kind: 'relay' };
}

function sshAgentNote(way: SshAgentWay, env: PlatformInputs['env']): string {
  const lead = 'SSH agent (ssh.agent):';
  if (way.kind === 'none') return `${lead} none here: ${way.reason}`;
  if (way.kind === 'docker-desktop')
    return `${lead} Docker Desktop's forwarded socket (${DOCKER_DESKTOP_SSH_SOCKET}), handed to the agent's user at start`;
  const now = env.SSH_AUTH_SOCK ? `now ${env.SSH_AUTH_SOCK}` : 'not set here, so none now';
  return `${lead} relayed from SSH_AUTH_SOCK as it is at each up or start; ${now}`;
}

function hostDockerInternalNote(host: HostKind, engine: EngineKind): string {
  const lead = 'host.docker.internal (firewall.hostPorts) is';
  if (engine === 'docker-desktop')
    return `${lead} Docker Desktop's way to this machine: a service listening on localhost answers`;
  if (engine === 'rootless')
    return `${lead} RootlessKit's network, not this machine's: a host port may not reach a service on the host`;
  if (engine === 'vm')
    return `${lead} the VM's gateway: whether it reaches this machine depends on the VM tool`;
  const bridge = `${lead} the Docker bridge's gateway: a host service answers there only if it listens on that address or 0.0.0.0, not on 127.0.0.1 alone`;
  return host === 'wsl' ? `${bridge}; it is the WSL VM, not Windows` : bridge;
}

function filesNote(host: HostKind, engine: EngineKind): string {
  const lead = 'files the agent writes';
  if (engine === 'rootless')
    return `${lead} are not yours: UIDs are shifted (root inside is you), so its user is a sub-UID of yours on the host`;
  if (engine === 'docker-desktop' && host !== 'wsl')
    return `${lead} are yours whatever its UID inside (Docker Desktop's file sharing)`;
  if (engine === 'vm') return `${lead} belong to whomever the VM's file sharing maps them to (usually you)`;
  return `${lead} are yours: its user takes your UID and GID inside`;
}
