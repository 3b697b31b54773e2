import type { FileStatus } from './types.js';

/**
 * Parses `git log -z --raw --numstat --no-abbrev --format=LOG_FORMAT`. Read by position, never by
 * searching for a separator: paths and messages are the agent's, may hold any byte but NUL, and a
 * crafted one must not be able to hide a file from the host-run check.
 */
export const LOG_FORMAT = '%x01%H%x00%an%x00%ae%x00%at%x00%s%x00%B';

export interface RawFile {
  path: string;
  oldPath?: string;
  status: FileStatus;
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  added: number | null;
  removed: number | null;
}

export interface RawCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  authorTime: number;
  subject: string;
  message: string;
  files: RawFile[];
}

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'added',
  T: 'type-changed',
};

const NUMSTAT = /^\n?(\d+|-)\t(\d+|-)\t/;

export function parseLog(output: string): RawCommit[] {
  const tokens = output.split('\0');
  let i = 0;
  const next = (): string => {
    const token = tokens[i++];
    if (token === undefined) throw new Error('git log output ended early');
    return token;
  };
  const commits: RawCommit[] = [];
  while (i < tokens.length) {
    const head = tokens[i]?.replace(/^\n/, '');
    if (head === '' && i === tokens.length - 1) break;
    if (!head?.startsWith('\x01')) throw new Error(`unexpected git log output at token ${i}`);
    i++;
    const commit: RawCommit = {
      sha: head.slice(1),
      authorName: next(),
      authorEmail: next(),
      authorTime: Number(next()),
      subject: next(),
      // Without its last newline, which git prints for every commit but the last one.
      message: next().replace(/\n+$/, ''),
      files: [],
    };
    // Raw entries: ":OLDMODE NEWMODE OLDSHA NEWSHA STATUS" then the path, two for a rename or copy.
    while (tokens[i]?.replace(/^\n/, '').startsWith(':')) {
      const [oldMode = '', newMode = '', oldBlob = '', newBlob = '', status = ''] = next()
        .replace(/^\n?:/, '')
        .split(' ');
      const letter = status.charAt(0);
      const twoPaths = letter === 'R' || letter === 'C';
      const first = next();
      const file: RawFile = {
        path: twoPaths ? next() : first,
        status: STATUS[letter] ?? 'modified',
        oldMode,
        newMode,
        oldBlob,
        newBlob,
        added: null,
        removed: null,
      };
      if (letter === 'R') file.oldPath = first;
      commit.files.push(file);
    }
    // Numstat entries, in the same order: "ADDED\tREMOVED\tPATH", or "ADDED\tREMOVED\t" then two paths.
    for (const file of commit.files) {
      const match = NUMSTAT.exec(tokens[i] ?? '');
      if (!match) break;
      const token = next();
      if (token.slice(match[0].length) === '') {
        next();
        next();
      }
      file.added = match[1] === '-' ? null : Number(match[1]);
      file.removed = match[2] === '-' ? null : Number(match[2]);
    }
    commits.push(commit);
  }
  return commits;
}
