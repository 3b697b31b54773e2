import { isUserFacing } from '../errors.js';
import { log } from '../log.js';

/**
 * An error as one line for the status line: what happened and what to do. The dashboard never
 * crashes on an error; anything outside the taxonomy of user-facing errors is a bug and goes to the log in full.
 */
export function describeError(error: unknown): string {
  if (isUserFacing(error)) return error.hint ? `${error.message} ${error.hint}` : error.message;
  log.error('dashboard: unexpected error', { error: error instanceof Error ? error.stack : String(error) });
  const message = error instanceof Error ? error.message : String(error);
  return `Unexpected error: ${message.split('\n')[0]} (details in the log)`;
}
