import type { ParsedDiff } from '../../git/parse-diff.js';
import type { SessionCommit } from '../../git/types.js';

/**
 * One commit's diff as the screen scrolls through it: a list of rows (a header per file, then its
 * lines unless collapsed) that is never built. Rows are found by counting through the files, so a
 * frame costs its height, not the diff's length.
 */
export interface DiffViewState {
  sha: string;
  diff: ParsedDiff;
  /** File indexes in the order shown: files that run on the host first. */
  order: readonly number[];
  /** Why a file runs on the host, by file index. */
  hostRun: Readonly<Record<number, string>>;
  collapsed: readonly number[];
  /** The first row on screen. */
  top: number;
}

export type DiffRow = { kind: 'file'; file: number } | { kind: 'line'; file: number; line: number };

export function openDiffView(commit: SessionCommit, diff: ParsedDiff): DiffViewState {
  const reasons = new Map(commit.files.filter((f) => f.hostRun).map((f) => [f.path, f.hostRun!]));
  const hostRun: Record<number, string> = {};
  diff.files.forEach((file, i) => {
    const reason = reasons.get(file.path);
    if (reason !== undefined) hostRun[i] = reason;
  });
  const indexes = diff.files.map((_, i) => i);
  const order = [...indexes.filter((i) => i in hostRun), ...indexes.filter((i) => !(i in hostRun))];
  return { sha: commit.sha, diff, order, hostRun, collapsed: [], top: 0 };
}

function fileRows(view: DiffViewState, file: number): number {
  const { start, end } = view.diff.files[file]!;
  return 1 + (view.collapsed.includes(file) ? 0 : end - start);
}

export function rowCount(view: DiffViewState): number {
  return view.order.reduce((sum, file) => sum + fileRows(view, file), 0);
}

/** The position in `order` of the file a row belongs to, and the row of that file's header. */
function locate(view: DiffViewState, row: number): { position: number; header: number } {
  let header = 0;
  for (let position = 0; position < view.order.length; position++) {
    const rows = fileRows(view, view.order[position]!);
    if (row < header + rows) return { position, header };
    header += rows;
  }
  return { position: Math.max(0, view.order.length - 1), header: Math.max(0, header - 1) };
}

/** The rows from `top`, at most `height` of them. */
export function visibleRows(view: DiffViewState, height: number): DiffRow[] {
  const rows: DiffRow[] = [];
  if (!view.order.length) return rows;
  const found = locate(view, view.top);
  let position = found.position;
  let offset = view.top - found.header;
  while (rows.length < height && position < view.order.length) {
    const file = view.order[position]!;
    const { start } = view.diff.files[file]!;
    const count = fileRows(view, file);
    for (; offset < count && rows.length < height; offset++) {
      rows.push(offset === 0 ? { kind: 'file', file } : { kind: 'line', file, line: start + offset - 1 });
    }
    position++;
    offset = 0;
  }
  return rows;
}

/** The file at the top of the screen: the one collapse and file picks act on. */
export function currentFile(view: DiffViewState): number | undefined {
  return view.order[locate(view, view.top).position];
}

export function scrollDiff(
  view: DiffViewState,
  delta: number | 'top' | 'bottom',
  height: number,
): DiffViewState {
  const last = Math.max(0, rowCount(view) - height);
  const top = delta === 'top' ? 0 : delta === 'bottom' ? last : Math.max(0, Math.min(last, view.top + delta));
  return top === view.top ? view : { ...view, top };
}

/** To the header of the next (or previous) file. */
export function jumpFile(view: DiffViewState, direction: 1 | -1): DiffViewState {
  const { position, header } = locate(view, view.top);
  const target =
    direction === -1 && view.top > header
      ? position
      : Math.max(0, Math.min(view.order.length - 1, position + direction));
  let top = 0;
  for (let p = 0; p < target; p++) top += fileRows(view, view.order[p]!);
  return { ...view, top };
}

/** Collapses or expands the file at the top; its header stays in place. */
export function toggleCollapse(view: DiffViewState): DiffViewState {
  const file = currentFile(view);
  if (file === undefined) return view;
  const { header } = locate(view, view.top);
  const collapsed = view.collapsed.includes(file)
    ? view.collapsed.filter((f) => f !== file)
    : [...view.collapsed, file];
  return { ...view, collapsed, top: header };
}
