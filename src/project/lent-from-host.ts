import { DOCKER_DESKTOP_SSH_SOCKET } from './platform.js';

/**
 * What the person's machine lends the agent containers, as pure data for their specs: the SSH
 * agent (only when the approved config asks for it) and the git identity the agent commits under.
 */
export type SshAgentLend =
  /** A folder of ours holding the relay's socket (an Engine on this kernel). */
  | { kind: 'relay'; dir: string }
  /** Docker Desktop's forwarding socket, in its VM. */
  | { kind: 'docker-desktop' };

/** Where the agent finds the SSH agent: Docker Desktop's own convention, in a folder of root's. */
export const SSH_AGENT_DIR_IN_AGENT = '/run/host-services';
export const SSH_AUTH_SOCK_IN_AGENT = `${SSH_AGENT_DIR_IN_AGENT}/ssh-auth.sock`;

/** A git config file with the person's user.name and user.email, included by the image's system config. */
export const GIT_IDENTITY_IN_AGENT = '/etc/claude-tui/git-identity';

interface BindMount {
  Type: 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

export function lentMounts(lent: { sshAgent?: SshAgentLend; gitIdentity?: string }): BindMount[] {
  const mounts: BindMount[] = [];
  if (lent.gitIdentity) {
    // A file the host rewrites in place: a new identity reaches the next commit, no restart.
    mounts.push({ Type: 'bind', Source: lent.gitIdentity, Target: GIT_IDENTITY_IN_AGENT, ReadOnly: true });
  }
  if (lent.sshAgent?.kind === 'relay') {
    // The folder, not the socket: a relay started again makes a new socket, which a mount of the
    // old one would not show. Read-only: the agent cannot put anything of its own there.
    mounts.push({ Type: 'bind', Source: lent.sshAgent.dir, Target: SSH_AGENT_DIR_IN_AGENT, ReadOnly: true });
  } else if (lent.sshAgent?.kind === 'docker-desktop') {
    // Writable, so that the entrypoint can hand the socket (root's inside) to the agent's user.
    mounts.push({
      Type: 'bind',
      Source: DOCKER_DESKTOP_SSH_SOCKET,
      Target: SSH_AUTH_SOCK_IN_AGENT,
      ReadOnly: false,
    });
  }
  return mounts;
}

export function lentEnv(lent: { sshAgent?: SshAgentLend }): Record<string, string> {
  if (!lent.sshAgent) return {};
  return {
    SSH_AUTH_SOCK: SSH_AUTH_SOCK_IN_AGENT,
    ...(lent.sshAgent.kind === 'docker-desktop' ? { CLAUDE_TUI_SSH_AGENT_CHOWN: '1' } : {}),
  };
}
