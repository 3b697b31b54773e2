import { UserError } from '../errors.js';
import type { SessionCommit } from './types.js';

/**
 * A session commit named by its position (1 to 3 digits: 1 is the oldest) or by a prefix of its
 * hash (4 characters or more), never both ways at once.
 */
export function findSessionCommit(
  commits: readonly SessionCommit[],
  rev: string,
  session: string,
): SessionCommit {
  const position = /^\d{1,3}$/.test(rev);
  const matches = position
    ? []
    : commits.filter((c) => rev.length >= 4 && c.sha.startsWith(rev.toLowerCase()));
  const found = position ? commits[Number(rev) - 1] : matches.length === 1 ? matches[0] : undefined;
  if (!found) {
    throw new UserError(
      matches.length > 1
        ? `${rev} names more than one commit of ${session}.`
        : `${rev} is not a commit of the session ${session}${position ? ` (it has ${commits.length})` : ''}.`,
      `See \`claude-tui log ${session}\` for its commits: a position (1 is the oldest) or 4 or more characters of a hash.`,
    );
  }
  return found;
}
