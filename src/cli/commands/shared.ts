import { loadProjectConfig } from '../../config/load-project-config.js';
import type { ProjectConfig } from '../../config/project-config-schema.js';
import { resolveNpmRegistry } from '../../image/npm-registry.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { planProject, type ProjectPlan } from '../../project/project-runtime.js';
import type { CommandContext } from '../context.js';

export async function loadPlan(
  ctx: CommandContext,
  project: ProjectIdentity,
): Promise<{ config: ProjectConfig; plan: ProjectPlan }> {
  const [config, app] = await Promise.all([loadProjectConfig(project.dir), ctx.settings.read()]);
  const plan = await planProject(project, config, app, ctx.env, ctx.env.CLAUDE_TUI_IMAGES_DIR);
  return { config, plan };
}

export function npmRegistryFor(ctx: CommandContext, config: ProjectConfig): () => Promise<string> {
  return () => resolveNpmRegistry(config.image?.npmRegistry, ctx.env, ctx.processes);
}
