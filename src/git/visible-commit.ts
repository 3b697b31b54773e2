import { visibleText } from '../system/visible-text.js';
import type { MergeOutcome, SessionCommit } from './types.js';

/**
 * A session commit as it may be shown: its subject, message, author and paths are the agent's
 * words, so their control characters are made visible (see visibleText). The hash is git's own.
 */
export function visibleCommit(commit: SessionCommit): SessionCommit {
  const line = (text: string) => visibleText(text, { oneLine: true });
  return {
    ...commit,
    subject: line(commit.subject),
    message: visibleText(commit.message),
    authorName: line(commit.authorName),
    authorEmail: line(commit.authorEmail),
    files: commit.files.map((file) => ({
      ...file,
      path: line(file.path),
      ...(file.oldPath === undefined ? {} : { oldPath: line(file.oldPath) }),
    })),
  };
}

export function visibleOutcome(outcome: MergeOutcome): MergeOutcome {
  if (outcome.kind !== 'conflict') return outcome;
  const line = (text: string) => visibleText(text, { oneLine: true });
  return { ...outcome, subject: line(outcome.subject), files: outcome.files.map(line) };
}
