import { UserError } from '../errors.js';
import type { FirewallPolicy } from '../firewall/policy.js';
import type { EffectivePolicy } from '../policy/interpret-policy.js';
import type { ProjectRuntime } from './container-specs.js';
import type { EngineFilesPlace } from './engine-files.js';

/**
 * A project on a remote Engine (tcp:// or ssh://, see isRemoteEndpoint) has no folder of this
 * machine to bind: its sessions are git sessions on clones sent over the exec connection, and the
 * files claude-tui hands its containers live in a volume of the project (engine-files.ts). What
 * only this machine can give is refused before anything is made, one reason at a time.
 */
export function refuseOnRemoteEngine(
  policy: EffectivePolicy,
  firewall: FirewallPolicy,
  endpoint: string,
): void {
  const refuse = (what: string, hint: string) =>
    new UserError(
      `This project's Docker Engine (${endpoint}) is on another machine, and ${what}.`,
      `${hint} Or run the project on this machine's Engine.`,
    );
  if (policy.config.ssh?.agent) {
    throw refuse(
      "ssh.agent lends this machine's SSH agent through a socket of this machine, which containers there cannot reach",
      'Turn ssh.agent off in .claude/claude-tui.yaml and approve the change (claude-tui approve).',
    );
  }
  if (policy.mounts.length) {
    throw refuse(
      `mounts in .claude/claude-tui.yaml name folders of this machine (${policy.mounts[0]?.source}), which it cannot bind`,
      'Remove the mounts and approve the change (claude-tui approve); put what the agent needs in the repository.',
    );
  }
  if (policy.bridge) {
    throw refuse(
      'the command bridge (.claude/bridge.yaml) is served by a relay on this machine, which containers there cannot reach',
      'Remove .claude/bridge.yaml and approve the change (claude-tui approve).',
    );
  }
  if (firewall.hostPorts.length) {
    throw refuse(
      `host.docker.internal would be that machine, not this one, so the host ports the policy opens (${firewall.hostPorts.join(', ')}: firewall.hostPorts and MCP servers on the host) would reach the wrong machine`,
      'Remove firewall.hostPorts and the MCP servers with host: true (or a host.docker.internal url) and approve the change.',
    );
  }
}

/**
 * The runtime with the files claude-tui hands the containers taken from the project's files
 * volume on the Engine's machine instead of this machine's state folder.
 */
export function placeOnEngine(runtime: ProjectRuntime, files: EngineFilesPlace): ProjectRuntime {
  const { gitIdentity: _here, ...rest } = runtime;
  return {
    ...rest,
    engineFiles: files,
    policyDir: `${files.dir}/policy`,
    resolvConf: runtime.resolvConf === undefined ? undefined : `${files.dir}/resolv.conf`,
    ...(runtime.gitIdentity === undefined ? {} : { gitIdentity: `${files.dir}/git-identity` }),
  };
}
