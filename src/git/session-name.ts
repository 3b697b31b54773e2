import { UserError } from '../errors.js';

/**
 * A session's name goes into ref names, a folder name and a file name: letters, digits, dot, dash
 * and underscore only, so it can name nothing else (no "..", no slash, no glob).
 */
export function checkSessionName(session: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(session) || session.endsWith('.lock')) {
    throw new UserError(
      `"${session}" is not a session name git refs can hold.`,
      'Session names use letters, digits, dots, dashes and underscores.',
    );
  }
}
