import { exportCompose } from '../../app/export-compose.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { reportPolicyNotes } from './shared.js';

export const composeCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const output = typeof ctx.args.flags.output === 'string' ? ctx.args.flags.output : undefined;
  const result = await exportCompose(ctx, project, ctx.out.progress, { output, cwd: ctx.cwd });
  ctx.out.progress.end();
  reportPolicyNotes(ctx, result.review, project.dir);
  if (result.review.pending)
    ctx.out.note('The export holds the approved policy only, not the change that waits.');
  for (const note of result.notes) ctx.out.note(note);
  if (!output) ctx.out.line(result.text.trimEnd());
  const file = output ?? 'FILE';
  ctx.out.note(
    `Wrote the compose file of ${project.name} to ${output ?? 'stdout'}; run it with: docker compose -f ${file} -p ${project.slug}-compose up -d`,
  );
};
