import { UserError } from '../errors.js';
import { validateSessionName } from '../session/session-names.js';

export interface StartInput {
  name?: string;
  agentArgs: string[];
  /** A git session (`--git`): the agent works on a clone, not the folder. */
  git?: boolean;
}

/**
 * What the person types to start a session: `[--git] [NAME] [-- AGENT ARGS]`, the same shape as
 * `claude-tui start [--git] --name NAME -- ARGS`. Quotes group words: -- --model "a b".
 */
export function parseStartInput(value: string): StartInput {
  const words = splitWords(value);
  const dashes = words.indexOf('--');
  const options = dashes < 0 ? words : words.slice(0, dashes);
  const agentArgs = dashes < 0 ? [] : words.slice(dashes + 1);
  const git = options.includes('--git');
  const before = options.filter((word) => word !== '--git');
  const unknown = before.find((word) => word.startsWith('-'));
  if (unknown) throw new UserError(`Only --git goes before the name (got "${unknown}").`);
  if (before.length > 1) {
    throw new UserError(`Only one name, then -- and the agent's arguments (got "${before[1]}").`);
  }
  const name = before[0];
  return {
    ...(name === undefined ? {} : { name: validateSessionName(name) }),
    agentArgs,
    ...(git ? { git: true } : {}),
  };
}

/** The problem with the input so far, for validation as you type; undefined when it is fine. */
export function startInputProblem(value: string): string | undefined {
  try {
    parseStartInput(value);
    return undefined;
  } catch (error) {
    return error instanceof UserError ? error.message : String(error);
  }
}

function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}
