import { upProject } from '../../project/up-project.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { reportAllowlistNotes } from './shared.js';

export const upCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const { firewallPlan, ...result } = await upProject(ctx, project, ctx.out.progress, {
    approveAllowlist: ctx.args.flags.yes === true,
  });
  ctx.out.progress.end();
  reportAllowlistNotes(ctx, firewallPlan, project.dir);
  if (ctx.args.flags.json) {
    ctx.out.json({
      project: project.dir,
      name: project.name,
      slug: project.slug,
      ...result,
      pendingAllowlist: firewallPlan.pending ?? null,
    });
    return;
  }
  if (!result.changed) {
    ctx.out.line(`${project.name} is already up (${project.dir}).`);
    return;
  }
  for (const action of result.actions) ctx.out.note(`  ${action}`);
  ctx.out.line(`${project.name} is up (${project.dir}).`);
  ctx.out.line(`firewall: ${result.firewall}`);
  if (!result.firewallReloaded) {
    ctx.out.line('Open a shell with `claude-tui shell`, or run a command with `claude-tui exec -- CMD`.');
  }
};
