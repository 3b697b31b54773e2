import { loadProjectConfig } from '../../config/load-project-config.js';
import type { ProjectConfig } from '../../config/project-config-schema.js';
import { formatIssue } from '../../firewall/allowlist.js';
import { planFirewall, type FirewallPlan } from '../../firewall/firewall-plan.js';
import { resolveNpmRegistry } from '../../image/npm-registry.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { planProject, type ProjectPlan } from '../../project/project-runtime.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import type { CommandContext } from '../context.js';

export async function loadPlan(
  ctx: CommandContext,
  project: ProjectIdentity,
  options: { approveAllowlist?: boolean } = {},
): Promise<{ config: ProjectConfig; plan: ProjectPlan }> {
  const [config, app] = await Promise.all([loadProjectConfig(project.dir), ctx.settings.read()]);
  const plan = await planProject(project, config, app, {
    env: ctx.env,
    processes: ctx.processes,
    imagesDir: ctx.env.CLAUDE_TUI_IMAGES_DIR,
    approveAllowlist: options.approveAllowlist,
  });
  return { config, plan };
}

/**
 * Only the firewall's part of a project's plan, for the `allow` commands: no image inputs, no CA
 * files read, nothing they do not use.
 */
export async function loadFirewallPlan(
  ctx: CommandContext,
  project: ProjectIdentity,
  options: { approveAllowlist?: boolean } = {},
): Promise<{ stateDir: string; firewall: FirewallPlan }> {
  const [config, app] = await Promise.all([loadProjectConfig(project.dir), ctx.settings.read()]);
  const stateDir = projectStateDir(project, ctx.env);
  const firewall = await planFirewall(
    project.dir,
    stateDir,
    config,
    { processes: ctx.processes, env: ctx.env, app },
    { approve: options.approveAllowlist },
  );
  return { stateDir, firewall };
}

export function npmRegistryFor(ctx: CommandContext, config: ProjectConfig): () => Promise<string> {
  return () => resolveNpmRegistry(config.image?.npmRegistry, ctx.env, ctx.processes);
}

/** Warnings about broad entries, and an allowlist change waiting for the person's yes. */
export function reportAllowlistNotes(ctx: CommandContext, firewall: FirewallPlan, projectDir: string): void {
  for (const warning of firewall.warnings) ctx.out.note(`warning: ${formatIssue(warning)}`);
  if (firewall.pending) {
    ctx.out.note(
      `The project's allowlist changed outside claude-tui and is not applied until you approve it:\n` +
        `${firewall.pending.replace(/^/gm, '    ')}\n` +
        `Approve with \`claude-tui allow approve ${projectDir}\` (or pass --yes).`,
    );
  }
}
