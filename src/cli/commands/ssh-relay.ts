import { existsSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { hostUserFor } from '../../project/host-user.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import { agentUserIds, sshRelayPaths } from '../../project/ssh-relay.js';
import { serveSshRelay } from '../../project/ssh-relay-server.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';

/** The SSH agent relay of one project, in the background until `down` or ssh.agent turned off. */
export const sshRelayCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const paths = sshRelayPaths(projectStateDir(project, ctx.env));
  if (!existsSync(paths.dir)) {
    throw new UserError(
      `${project.name} has no SSH agent to lend (ssh.agent is not on, or it was never up).`,
      'Set ssh: { agent: true } in .claude/claude-tui.yaml, approve it, and run `claude-tui up`: it starts the relay.',
    );
  }
  const asRoot = process.getuid?.() === 0;
  await serveSshRelay({
    paths,
    // Running as root, the socket is made the agent's user's: root's is closed to it.
    ...(asRoot ? { owner: agentUserIds(hostUserFor(project.dir)) } : {}),
  });
};
