import { projectStatus, type ContainerStatus } from '../../project/status.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';

export const statusCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const status = await projectStatus(ctx.engine, project);
  if (ctx.args.flags.json) {
    ctx.out.json(status);
    return;
  }
  const container = (c: ContainerStatus | null) => (c ? `${c.state} (${c.status}) ${c.name}` : 'missing');
  ctx.out.line(`project   ${status.name}  ${status.dir}`);
  ctx.out.line(`state     ${status.state}`);
  ctx.out.line(`gateway   ${container(status.gateway)}`);
  ctx.out.line(`agent     ${container(status.agent)}`);
  ctx.out.line(`firewall  ${status.firewall}`);
  ctx.out.line(`volumes   ${status.volumes.join(', ') || 'none'}`);
  if (status.state === 'partial') {
    ctx.out.note('A container is missing or stopped; `claude-tui up` brings the project back.');
  }
};
