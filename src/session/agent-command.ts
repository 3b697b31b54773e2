import type { ProjectConfig } from '../config/project-config-schema.js';

/**
 * The command a session runs: the project's agent (default Claude Code) and the person's extra
 * arguments; yolo mode adds Claude's permission bypass (it only makes sense inside this sandbox).
 */
export function agentCommand(
  config: ProjectConfig,
  extraArgs: readonly string[],
  env: NodeJS.ProcessEnv,
): string[] {
  const configured = config.agent?.command ?? 'claude';
  const base = Array.isArray(configured) ? [...configured] : configured.split(/\s+/).filter(Boolean);
  const yolo = config.agent?.yolo === true || env.CLAUDE_YOLO === '1';
  const isClaude = base[0]?.split('/').pop() === 'claude';
  const bypass = yolo && isClaude && !extraArgs.includes('--dangerously-skip-permissions');
  return [...base, ...(bypass ? ['--dangerously-skip-permissions'] : []), ...extraArgs];
}
