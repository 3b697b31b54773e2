import { dirname } from 'node:path';
import { BRIDGE_DIR_IN_AGENT } from '../bridge/relay-files.js';
import type { ContainerCreateBody } from '../docker/engine.js';
import { LABEL, managedLabels } from '../docker/labels.js';
import type { HostUser } from './host-user.js';
import type { ProjectIdentity } from './identity.js';
import {
  SECRET_CHECK_ENV,
  secretCheckEnv,
  secretShadowMounts,
  type SecretShadows,
} from './secret-shadows.js';
import { lentEnv, lentMounts, type SshAgentLend } from './lent-from-host.js';
import type { EngineFilesPlace } from './engine-files.js';
import { PINNED_MOUNTS_ENV, pinnedMountsEnv, type SpecMount } from './pinned-mounts.js';

/**
 * What a project's containers look like, as pure data. The security-relevant choices live here,
 * in one place that unit tests read.
 */
export interface ProjectRuntime {
  image: string;
  hostUser: HostUser;
  env: Record<string, string>;
  mounts: { source: string; target: string; readOnly: boolean }[];
  /** Paths inside the project, relative, that exist and must be read-only for the agent. */
  protectedPaths: string[];
  /** Host folder with the firewall policy, mounted read-only into the gateway. */
  policyDir: string;
  /** The host file the gateway also writes its status to (see firewallStatusPath). */
  firewallStatusFile?: string;
  /** The agent's resolv.conf (only the gateway's resolver); absent when the firewall is off. */
  resolvConf: string | undefined;
  /** Docker networks the gateway joins besides the project's own. */
  networks: string[];
  /** Secret files and folders the agent sees empty (see secret-shadows.ts). */
  secretShadows?: SecretShadows;
  /** The host's SSH agent, when the approved config asks for it and this machine has a way. */
  sshAgent?: SshAgentLend;
  /** Host file with the person's git identity (see lent-from-host.ts). */
  gitIdentity?: string;
  /** Host folder of the command bridge: its socket and command links (see bridge/relay-files.ts). */
  bridgeDir?: string;
  /**
   * A project on a remote Engine: no folder of this machine is bound (the workspace is a git
   * session's clone), and the files above are paths in this volume on the Engine's machine
   * (see remote-project.ts). Set when the plan is for a remote Engine.
   */
  remote?: boolean;
  engineFiles?: EngineFilesPlace;
}

/**
 * Paths the agent must not be able to change: its own policy files (they would widen its rights)
 * and files that run code on the host later. Mounted read-only over the writable workspace.
 */
export const PROTECTED_PATHS = [
  '.claude/claude-tui.yaml',
  '.claude/allowed-domains.txt',
  '.claude/bridge.yaml',
  '.aidevcontainer/allowed-domains.txt',
  '.git/hooks',
  '.git/config',
  '.devcontainer',
  '.vscode',
  '.husky',
] as const;

export const WORKSPACE = '/workspace';
export const AGENT_HOME = '/home/claude';
export const AGENT_USER = 'claude';
/** Cleared on every start (tmpfs); the entrypoint writes `ready` there when set up. */
export const RUNTIME_STATE_DIR = '/run/claude-tui';
export const GATEWAY_POLICY_DIR = '/etc/claude-tui/policy';
/** images/firewall.sh writes its status here too when it is mounted (a file of the host's). */
export const GATEWAY_STATUS_FILE = '/var/lib/claude-tui-host/firewall-status';

const restartPolicy = { Name: 'unless-stopped' };
const noNewPrivileges = ['no-new-privileges'];

/** A remote project's runtime must have its files placed on the Engine before any spec is made. */
function placed(runtime: ProjectRuntime): EngineFilesPlace {
  if (!runtime.engineFiles)
    throw new Error("a remote project's specs were asked for before its files were placed");
  return runtime.engineFiles;
}

export function gatewaySpec(project: ProjectIdentity, runtime: ProjectRuntime): ContainerCreateBody {
  return {
    Image: runtime.image,
    Cmd: ['gateway'],
    Hostname: project.slug,
    Labels: managedLabels('gateway', project),
    HostConfig: {
      NetworkMode: project.names.network,
      Mounts: [
        { Type: 'bind', Source: runtime.policyDir, Target: GATEWAY_POLICY_DIR, ReadOnly: true },
        // A remote project's files, whole: the gateway writes its status there, and updates to
        // the rest are unpacked there in place (engine-files.ts).
        ...(runtime.remote
          ? [{ Type: 'volume', Source: placed(runtime).volume, Target: dirname(GATEWAY_STATUS_FILE) }]
          : []),
        ...(runtime.firewallStatusFile
          ? [{ Type: 'bind', Source: runtime.firewallStatusFile, Target: GATEWAY_STATUS_FILE }]
          : []),
      ],
      // Where host ports listed in the config are reached.
      ExtraHosts: ['host.docker.internal:host-gateway'],
      // The gateway owns the firewall, so it alone holds the network capabilities; it runs no
      // agent code. SETUID/SETGID let its resolver drop to its own user.
      CapDrop: ['ALL'],
      CapAdd: [
        'NET_ADMIN',
        'NET_RAW',
        'NET_BIND_SERVICE',
        'SETUID',
        'SETGID',
        'CHOWN',
        'DAC_OVERRIDE',
        'FOWNER',
        'KILL',
      ],
      SecurityOpt: noNewPrivileges,
      RestartPolicy: restartPolicy,
      Tmpfs: { [RUNTIME_STATE_DIR]: 'mode=0755' },
      PidsLimit: 256,
    },
    NetworkingConfig: { EndpointsConfig: { [project.names.network]: { Aliases: ['gateway'] } } },
  };
}

export function agentSpec(project: ProjectIdentity, runtime: ProjectRuntime): ContainerCreateBody {
  const env = {
    ...runtime.env,
    HOST_UID: String(runtime.hostUser.uid),
    HOST_GID: String(runtime.hostUser.gid),
    ...lentEnv(runtime),
  };
  const mounts = agentMounts(project, runtime);
  return {
    Image: runtime.image,
    Cmd: ['agent'],
    WorkingDir: WORKSPACE,
    Env: [
      ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
      ...secretCheckEnv(runtime.secretShadows),
      ...pinnedMountsEnv(mounts),
    ],
    Labels: managedLabels('agent', project),
    HostConfig: {
      // Joins the gateway's network namespace: it has the gateway's network and firewall, and no
      // capability to change either.
      NetworkMode: `container:${project.names.gateway}`,
      // Root in this container may only remap the user at start and manage files; nothing network.
      CapDrop: ['ALL'],
      CapAdd: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETUID', 'SETGID', 'KILL'],
      SecurityOpt: noNewPrivileges,
      RestartPolicy: restartPolicy,
      Tmpfs: { [RUNTIME_STATE_DIR]: 'mode=0755' },
      PidsLimit: 4096,
      Mounts: mounts,
    },
  };
}

function agentMounts(project: ProjectIdentity, runtime: ProjectRuntime): SpecMount[] {
  return [
    // A remote project's Engine cannot see this folder: its sessions work on clones.
    ...(runtime.remote && placed(runtime) ? [] : [{ Type: 'bind', Source: project.dir, Target: WORKSPACE }]),
    { Type: 'volume', Source: project.names.homeVolume, Target: AGENT_HOME },
    ...runtime.protectedPaths.map((path) => ({
      Type: 'bind',
      Source: `${project.dir}/${path}`,
      Target: `${WORKSPACE}/${path}`,
      ReadOnly: true,
    })),
    ...secretShadowMounts(runtime.secretShadows, WORKSPACE),
    ...runtime.mounts.map((m) => ({
      Type: 'bind',
      Source: m.source,
      Target: m.target,
      ReadOnly: m.readOnly,
    })),
    ...(runtime.resolvConf
      ? [{ Type: 'bind', Source: runtime.resolvConf, Target: '/etc/resolv.conf', ReadOnly: true }]
      : []),
    ...lentMounts(runtime),
    // Read-only: the agent can put nothing of its own beside the relay's socket and links.
    ...(runtime.bridgeDir
      ? [{ Type: 'bind', Source: runtime.bridgeDir, Target: BRIDGE_DIR_IN_AGENT, ReadOnly: true }]
      : []),
  ];
}

/**
 * A git session's own agent container: like the project's agent (the gateway's network, the same
 * locks, the shared home) but with the session's clone, in a volume, as its workspace and no bind
 * mount of the project's folder at all.
 */
export function gitAgentSpec(
  project: ProjectIdentity,
  runtime: ProjectRuntime,
  session: { name: string; volume: string; workdir: string },
): ContainerCreateBody {
  const agent = agentSpec(project, runtime);
  const projectMounts = new Set([
    WORKSPACE,
    ...runtime.protectedPaths.map((path) => `${WORKSPACE}/${path}`),
    ...secretShadowMounts(runtime.secretShadows, WORKSPACE).map((mount) => mount.Target),
  ]);
  const hostConfig = agent.HostConfig as { Mounts: SpecMount[] };
  const mounts = [
    ...hostConfig.Mounts.filter((mount) => !projectMounts.has(mount.Target)),
    { Type: 'volume', Source: session.volume, Target: session.workdir },
  ];
  const projectChecks = [`${SECRET_CHECK_ENV}=`, `${PINNED_MOUNTS_ENV}=`];
  return {
    ...agent,
    WorkingDir: session.workdir,
    Env: [
      // The clone is not the project: its secrets are the commits the person chose to hand over.
      ...(agent.Env ?? []).filter((entry) => !projectChecks.some((check) => entry.startsWith(check))),
      ...pinnedMountsEnv(mounts),
      `CLAUDE_TUI_GIT_SESSION=${session.name}`,
      `CLAUDE_TUI_GIT_WORKDIR=${session.workdir}`,
    ],
    Labels: { ...managedLabels('git-agent', project), [LABEL.session]: session.name },
    HostConfig: { ...agent.HostConfig, Mounts: mounts },
  };
}
