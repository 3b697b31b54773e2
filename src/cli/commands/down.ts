import { bridgeRelayPaths, stopBridgeRelay } from '../../bridge/relay-files.js';
import { down } from '../../project/down.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import { sshRelayPaths, stopRelay } from '../../project/ssh-relay.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';

export const downCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const result = await down(ctx.engine, project);
  await stopRelay(sshRelayPaths(projectStateDir(project, ctx.env)));
  await stopBridgeRelay(bridgeRelayPaths(projectStateDir(project, ctx.env)));
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, name: project.name, slug: project.slug, ...result });
    return;
  }
  if (!result.removed.length) {
    ctx.out.line(`${project.name} is not up; nothing to do.`);
    return;
  }
  for (const name of result.removed) ctx.out.note(`  removed ${name}`);
  ctx.out.line(`${project.name} is down. Its volumes (the agent's home) are kept.`);
};
