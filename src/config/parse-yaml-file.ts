import type * as z from 'zod/mini';
import { ConfigError } from '../errors.js';
import { visibleText } from '../system/visible-text.js';
import { isNode, LineCounter, parseDocument } from './yaml-parser.js';
import { issueMessage } from './zod-issue-message.js';

/**
 * A YAML policy file's text read against its schema. Any problem is a ConfigError naming the file,
 * the line and column, the key path and what was expected. Loaded (with yaml) only when a file is
 * there to parse.
 */
export function parseYamlFile<Schema extends z.ZodMiniType>(
  file: string,
  text: string,
  schema: Schema,
): z.output<Schema> {
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
      visibleText(`is not valid YAML: ${yamlError.message.split('\n')[0]}`, { oneLine: true }),
    );
  }
  const result = schema.safeParse(doc.toJS() ?? {});
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
  // A key the file made up is the agent's words: it must not act on the terminal of the person
  // reading the problem.
  throw new ConfigError(file, location, visibleText(`${keyPath}: ${issueMessage(issue)}`, { oneLine: true }));
}
