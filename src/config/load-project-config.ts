import type { ProjectConfig } from './project-config-schema.js';

/** Where the project config lives, relative to the project. */
export const PROJECT_CONFIG_FILE = '.claude/claude-tui.yaml';

/**
 * Parses the project config's text (read from the host by the policy review, never here).
 * yaml and zod are loaded only when there is a config to parse.
 */
export async function parseProjectConfig(file: string, text: string): Promise<ProjectConfig> {
  const [{ parseYamlFile }, { projectConfigSchema }] = await Promise.all([
    import('./parse-yaml-file.js'),
    import('./project-config-schema.js'),
  ]);
  return parseYamlFile(file, text, projectConfigSchema);
}
