import { Text } from 'ink';
import type { SessionCommit } from '../../git/types.js';
import { ListView } from '../components/list-view.js';
import { useTheme } from '../theme.js';
import type { Pick } from './merge-state.js';
import { visibleText } from '../../system/visible-text.js';

/** Everything in a row but the subject: selection 2, mark 4, sha 8, stat 14, files 9, flag 10. */
const FIXED = 2 + 4 + 8 + 14 + 9 + 10;

/** The session's commits, oldest first: what is picked, each one's size, and what needs a look. */
export function CommitList({
  commits,
  picks,
  selected,
  width,
  height,
}: {
  commits: readonly SessionCommit[] | null;
  picks: Readonly<Record<string, Pick>>;
  selected: number;
  width: number;
  height: number;
}) {
  return (
    <ListView
      items={commits ?? []}
      selectedIndex={selected}
      height={height}
      focused
      empty={
        commits ? 'no commits: the session has made none since it started' : "reading the session's commits…"
      }
      row={(commit) => (
        <CommitRow commit={commit} pick={picks[commit.sha]} subjectWidth={Math.max(10, width - FIXED)} />
      )}
    />
  );
}

export function pickMark(commit: SessionCommit, pick: Pick | undefined): string {
  if (commit.applied) return '[=]';
  if (!pick) return '[ ]';
  return pick.files ? '[~]' : '[x]';
}

function CommitRow({
  commit,
  pick,
  subjectWidth,
}: {
  commit: SessionCommit;
  pick: Pick | undefined;
  subjectWidth: number;
}) {
  const theme = useTheme();
  const fit = (text: string, n: number) =>
    text.length > n - 1 ? `${text.slice(0, n - 2)}… ` : text.padEnd(n);
  const files = `${commit.files.length} file${commit.files.length === 1 ? '' : 's'}`;
  return (
    <>
      <Text
        color={pick ? theme.good : undefined}
        dimColor={commit.applied && theme.dim}
      >{`${pickMark(commit, pick)} `}</Text>
      <Text color={theme.accent}>{`${commit.sha.slice(0, 7)} `}</Text>
      <Text dimColor={commit.applied && theme.dim}>
        {fit(visibleText(commit.subject, { oneLine: true }), subjectWidth)}
      </Text>
      <Text color={theme.good}>{`+${commit.added}`.padStart(7)}</Text>
      <Text color={theme.bad}>{` -${commit.removed}`.padEnd(7)}</Text>
      {files.padEnd(9)}
      {commit.applied ? (
        <Text dimColor={theme.dim}>applied</Text>
      ) : commit.hostRun ? (
        <Text color={theme.warn}>! host-run</Text>
      ) : null}
    </>
  );
}
