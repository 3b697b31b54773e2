import { describeHostRunChanges } from '../../app/project-alerts.js';
import { upProject } from '../../app/up-project.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { pendingJson, reportPolicyNotes } from './shared.js';

export const upCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const { review, hostRunChanged, mcpNotes, secretNotes, ...result } = await upProject(
    ctx,
    project,
    ctx.out.progress,
    {
      approveAll: ctx.args.flags.yes === true,
    },
  );
  ctx.out.progress.end();
  reportPolicyNotes(ctx, review, project.dir);
  if (hostRunChanged.length) {
    ctx.out.note(
      `Files that run on the host changed since the last up or approval: ${describeHostRunChanges(hostRunChanged)}. Look at them before you run them; they are watched from now on.`,
    );
  }
  for (const note of mcpNotes) ctx.out.note(note);
  if (ctx.args.flags.json) {
    for (const note of secretNotes) ctx.out.note(note);
    ctx.out.json({
      project: project.dir,
      name: project.name,
      slug: project.slug,
      ...result,
      pendingPolicy: pendingJson(review.pending),
      hostRunChanged,
      secretNotes,
    });
    return;
  }
  if (!result.changed) {
    ctx.out.line(`${project.name} is already up (${project.dir}).`);
    return;
  }
  for (const action of result.actions) ctx.out.note(`  ${action}`);
  for (const note of secretNotes) ctx.out.note(note);
  ctx.out.line(`${project.name} is up (${project.dir}).`);
  ctx.out.line(`firewall: ${result.firewall}`);
  if (!result.firewallReloaded) {
    ctx.out.line('Open a shell with `claude-tui shell`, or run a command with `claude-tui exec -- CMD`.');
  }
};
