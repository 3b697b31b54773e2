import { ensureImage } from '../../image/ensure-image.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { loadPlan, npmRegistryFor } from '../../app/load-plan.js';

export const buildCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const { review, plan } = await loadPlan(ctx, project, 'view');
  const result = await ensureImage(
    {
      engine: ctx.engine,
      progress: ctx.out.progress,
      npmRegistry: npmRegistryFor(ctx, review.approved.config),
    },
    plan.inputs,
    { rebuild: ctx.args.flags.rebuild === true },
  );
  ctx.out.progress.end();
  if (ctx.args.flags.json) {
    ctx.out.json({ image: result.tag, built: result.built, inputsHash: plan.inputs.hash });
    return;
  }
  ctx.out.line(result.built ? `built ${result.tag}` : `${result.tag} is current; nothing to build`);
};
