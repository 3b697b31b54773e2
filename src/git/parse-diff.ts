import type { FileStatus } from './types.js';

/**
 * A unified diff as `git show` and `git diff` print it, read once into a compact model: the text's
 * lines stay as they are, in one array, with one byte per line saying what it is; each file is a
 * range of it. A 10,000-line diff costs one array and one Uint8Array, and a viewer draws any
 * window of it without copying.
 */
export const LineKind = {
  /** Before the first file, and each file's own header (diff --git, index, ---, +++). */
  header: 0,
  context: 1,
  added: 2,
  removed: 3,
  /** `@@ -1,4 +1,5 @@`. */
  hunk: 4,
  /** `\ No newline at end of file`. */
  note: 5,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export interface DiffFile {
  path: string;
  /** Renames and copies only. */
  oldPath?: string;
  status: FileStatus;
  binary: boolean;
  /** Its hunks: lines[start] up to lines[end] (exclusive), hunk headers included. */
  start: number;
  end: number;
  added: number;
  removed: number;
}

export interface ParsedDiff {
  lines: readonly string[];
  kinds: Uint8Array;
  files: DiffFile[];
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

export function parseDiff(text: string): ParsedDiff {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kinds = new Uint8Array(lines.length);
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let inHunks = false;
  // Lines of the current hunk still to come, old side and new side.
  let oldLeft = 0;
  let newLeft = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (file && (oldLeft > 0 || newLeft > 0)) {
      const kind = hunkLineKind(line);
      kinds[i] = kind;
      if (kind !== LineKind.removed && kind !== LineKind.note) newLeft--;
      if (kind !== LineKind.added && kind !== LineKind.note) oldLeft--;
      if (kind === LineKind.added) file.added++;
      if (kind === LineKind.removed) file.removed++;
      file.end = i + 1;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      const path = gitHeaderPath(line.slice(11));
      file = { path, status: 'modified', binary: false, start: i + 1, end: i + 1, added: 0, removed: 0 };
      files.push(file);
      inHunks = false;
      continue;
    }
    if (!file) continue;
    const hunk = HUNK.exec(line);
    if (hunk) {
      if (!inHunks) file.start = i;
      inHunks = true;
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      kinds[i] = LineKind.hunk;
      file.end = i + 1;
    } else if (inHunks) {
      // "\ No newline" after a hunk's last line; anything else (a patch's signature) is not shown.
      if (line.startsWith('\\') && file.end === i) {
        kinds[i] = LineKind.note;
        file.end = i + 1;
      }
    } else {
      readHeaderLine(file, line);
      file.start = file.end = i + 1;
    }
  }
  return { lines, kinds, files };
}

function hunkLineKind(line: string): LineKind {
  switch (line[0]) {
    case '+':
      return LineKind.added;
    case '-':
      return LineKind.removed;
    case '\\':
      return LineKind.note;
    default:
      // ' ', or an empty line where a tool dropped the space of an empty context line.
      return LineKind.context;
  }
}

function readHeaderLine(file: DiffFile, line: string): void {
  if (line.startsWith('new file mode')) file.status = 'added';
  else if (line.startsWith('deleted file mode')) file.status = 'deleted';
  else if (line.startsWith('rename from ') || line.startsWith('copy from ')) {
    file.oldPath = unquote(line.slice(line.indexOf(' from ') + 6));
    file.status = line.startsWith('rename') ? 'renamed' : 'added';
  } else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
    file.path = unquote(line.slice(line.indexOf(' to ') + 4));
  } else if (line.startsWith('+++ ') && !line.startsWith('+++ /dev/null')) {
    file.path = stripPrefix(unquote(line.slice(4)), 'b/');
  } else if (line.startsWith('--- ') && file.status === 'deleted' && !line.startsWith('--- /dev/null')) {
    file.path = stripPrefix(unquote(line.slice(4)), 'a/');
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
  }
}

/**
 * The path from `diff --git a/P b/P`. With spaces in names the line is ambiguous unless both sides
 * are the same (no rename), which is the case when no later line names the file anyway.
 */
function gitHeaderPath(rest: string): string {
  if (rest.startsWith('"')) {
    const close = closingQuote(rest);
    const second = rest.slice(close + 2);
    return stripPrefix(unquote(second), 'b/');
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(half + 1) === `b/${rest.slice(2, half)}`)
    return rest.slice(2, half);
  const space = rest.lastIndexOf(' b/');
  return space < 0 ? rest : rest.slice(space + 3);
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

const stripPrefix = (path: string, prefix: string) =>
  path.startsWith(prefix) ? path.slice(prefix.length) : path;

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Git quotes a path with unusual bytes in C style ("caf\303\251.txt"); other paths pass as they are. */
export function unquote(text: string): string {
  const trimmed = text.replace(/\t$/, '');
  if (!trimmed.startsWith('"')) return trimmed;
  const bytes: number[] = [];
  const end = closingQuote(trimmed);
  for (let i = 1; i < end; i++) {
    const c = trimmed[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = trimmed[++i] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(trimmed.slice(i, i + 3), 8));
      i += 2;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
