import { ConfigError } from '../errors.js';
import type { ProjectConfig } from './project-config-schema.js';
import { issueMessage } from './zod-issue-message.js';

/** Where the project config lives, relative to the project. */
export const PROJECT_CONFIG_FILE = '.claude/claude-tui.yaml';

/**
 * Parses the project config's text (read from the host by the policy review, never here).
 * yaml and zod are loaded only when there is a config to parse.
 */
export async function parseProjectConfig(file: string, text: string): Promise<ProjectConfig> {
  const [{ LineCounter, parseDocument, isNode }, { projectConfigSchema }] = await Promise.all([
    import('./yaml-parser.js'),
    import('./project-config-schema.js'),
  ]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return `${pos.line}:${pos.col}`;
  };
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw new ConfigError(
      file,
      where(yamlError.pos[0]),
      `is not valid YAML: ${yamlError.message.split('\n')[0]}`,
    );
  }
  const result = projectConfigSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;

  const issue = result.error.issues[0]!;
  const path = issue.path.map(String);
  // Point at the deepest node that exists along the path: a missing key is reported at its parent.
  let location = '';
  for (let depth = path.length; depth >= 0 && !location; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) location = where(node.range[0]);
  }
  const keyPath = path.length ? path.join('.') : '(top level)';
  throw new ConfigError(file, location, `${keyPath}: ${issueMessage(issue)}`);
}
