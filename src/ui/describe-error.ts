import { visibleText } from '../system/visible-text.js';
import { isUserFacing } from '../errors.js';
import { log } from '../log.js';

/**
 * An error as one line for the status line: what happened and what to do. The dashboard never
 * crashes on an error; anything outside the taxonomy of user-facing errors is a bug and goes to the log in full.
 */
export function describeError(error: unknown): string {
  // One status line, and the agent's words in it (a path, git's stderr) never act on the terminal.
  if (isUserFacing(error))
    return visibleText(error.hint ? `${error.message} ${error.hint}` : error.message, { oneLine: true });
  log.error('dashboard: unexpected error', { error: error instanceof Error ? error.stack : String(error) });
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${visibleText(message.split('\n')[0] ?? '', { oneLine: true })} (details in the log)`;
}
