import { up } from '../../project/up.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { loadPlan, npmRegistryFor, reportAllowlistNotes } from './shared.js';

export const upCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const { config, plan } = await loadPlan(ctx, project, { approveAllowlist: ctx.args.flags.yes === true });
  const result = await up(
    { engine: ctx.engine, progress: ctx.out.progress, npmRegistry: npmRegistryFor(ctx, config) },
    project,
    plan,
  );
  ctx.out.progress.end();
  if (result.changed) await ctx.settings.rememberProject(project.dir);
  reportAllowlistNotes(ctx, plan.firewall, project.dir);
  if (ctx.args.flags.json) {
    ctx.out.json({
      project: project.dir,
      name: project.slug,
      ...result,
      pendingAllowlist: plan.firewall.pending ?? null,
    });
    return;
  }
  if (!result.changed) {
    ctx.out.line(`${project.slug} is already up (${project.dir}).`);
    return;
  }
  for (const action of result.actions) ctx.out.note(`  ${action}`);
  ctx.out.line(`${project.slug} is up (${project.dir}).`);
  ctx.out.line(`firewall: ${result.firewall}`);
  if (!result.firewallReloaded) {
    ctx.out.line('Open a shell with `claude-tui shell`, or run a command with `claude-tui exec -- CMD`.');
  }
};
