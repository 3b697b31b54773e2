import { approveProjectPolicy } from '../../app/approve-policy.js';
import { loadPolicy } from '../../app/load-plan.js';
import { UserError } from '../../errors.js';
import type { ProjectIdentity } from '../../project/identity.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { confirm } from '../prompt.js';
import { projectArgument } from './project-argument.js';
import { pendingJson, pendingText } from './shared.js';

export const approveCommand: CommandHandler = (ctx) => approveProject(ctx, projectArgument(ctx));

/**
 * Shows every change to the policy files (and the files they name) since the last approval, what
 * it would widen, and on a yes approves exactly that and applies it.
 */
export async function approveProject(ctx: CommandContext, project: ProjectIdentity): Promise<void> {
  const review = await loadPolicy(ctx, project, 'view');
  const { pending } = review;
  if (!pending) {
    if (ctx.args.flags.json) ctx.out.json({ project: project.dir, approved: false, pending: null });
    else ctx.out.line('Nothing to approve: the policy files are as approved.');
    return;
  }
  ctx.out.note(pendingText(pending, review, project.dir, true));
  if (!pending.problems.length && ctx.args.flags.yes !== true) {
    if (!ctx.terminal.stdin.isTTY) {
      throw new UserError(
        'Not approved: there is no terminal to ask on.',
        'Pass --yes to approve without asking.',
      );
    }
    if (!(await confirm('Approve and apply this change?')))
      throw new UserError('Not approved; nothing was changed.');
  }
  const result = await approveProjectPolicy(ctx, project, pending, ctx.out.progress);
  ctx.out.progress.end();
  if (ctx.args.flags.json) {
    ctx.out.json({
      project: project.dir,
      approved: true,
      pending: pendingJson(pending),
      applied: result.applied ?? null,
    });
    return;
  }
  if (!result.applied) {
    ctx.out.line('Approved. The project is not up; it takes the change when it comes up (claude-tui up).');
    return;
  }
  for (const action of result.applied.actions) ctx.out.note(`  ${action}`);
  ctx.out.line('Approved and applied.');
  if (result.applied.firewall) ctx.out.line(`firewall: ${result.applied.firewall}`);
}
