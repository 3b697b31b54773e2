import { up } from '../../project/up.js';
import { readFirewallStatus } from '../../project/status.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { loadPlan, npmRegistryFor } from './shared.js';

export const upCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const { config, plan } = await loadPlan(ctx, project);
  const result = await up(
    { engine: ctx.engine, progress: ctx.out.progress, npmRegistry: npmRegistryFor(ctx, config) },
    project,
    plan,
  );
  ctx.out.progress.end();
  if (result.changed) await ctx.settings.rememberProject(project.dir);
  const firewall = result.changed ? await readFirewallStatus(ctx.engine, project.names.gateway) : undefined;
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, name: project.slug, ...result, ...(firewall ? { firewall } : {}) });
    return;
  }
  if (!result.changed) {
    ctx.out.line(`${project.slug} is already up (${project.dir}).`);
    return;
  }
  for (const action of result.actions) ctx.out.note(`  ${action}`);
  ctx.out.line(`${project.slug} is up (${project.dir}).`);
  if (firewall) ctx.out.line(`firewall: ${firewall}`);
  ctx.out.line(`Open a shell with \`claude-tui shell\`, or run a command with \`claude-tui exec -- CMD\`.`);
};
