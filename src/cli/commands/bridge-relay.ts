import { existsSync } from 'node:fs';
import { servedBridgeSource } from '../../app/served-bridge-source.js';
import { callLogWriter } from '../../bridge/call-log-writer.js';
import { bridgeCallLogPath, bridgeRefusalLogPath } from '../../bridge/call-log.js';
import { bridgeRelayPaths } from '../../bridge/relay-files.js';
import { serveBridgeRelay } from '../../bridge/relay-server.js';
import { UserError } from '../../errors.js';
import { hostUserFor } from '../../project/host-user.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import { agentUserIds } from '../../project/ssh-relay.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';

/** The command bridge of one project, in the background until `down`. */
export const bridgeRelayCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const stateDir = projectStateDir(project, ctx.env);
  const paths = bridgeRelayPaths(stateDir);
  if (!existsSync(paths.dir)) {
    throw new UserError(
      `${project.name} has no bridge folder yet (it was never up).`,
      'Run `claude-tui up`: it starts the bridge when .claude/bridge.yaml is approved.',
    );
  }
  const agent = agentUserIds(hostUserFor(project.dir));
  const asRoot = process.getuid?.() === 0;
  await serveBridgeRelay({
    paths,
    engine: ctx.engine,
    policy: servedBridgeSource(project.dir, stateDir),
    defaultUser: `${agent.uid}:${agent.gid}`,
    record: callLogWriter({ calls: bridgeCallLogPath(stateDir), refusals: bridgeRefusalLogPath(stateDir) }),
    // Running as root, the socket is made the agent's user's: root's is closed to it.
    ...(asRoot ? { owner: agent } : {}),
  });
};
