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

export type DiffRow =
  /** A line of the file list the diff opens with. */
  | { kind: 'entry'; file: number }
  /** The empty line after the file list. */
  | { kind: 'gap' }
  | { kind: 'file'; file: number }
  | { kind: 'line'; file: number; line: number };

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

/** The file list's rows (and the empty one after it), before the first file's header. */
const listRows = (view: DiffViewState) => (view.order.length ? view.order.length + 1 : 0);

export function rowCount(view: DiffViewState): number {
  return listRows(view) + view.order.reduce((sum, file) => sum + fileRows(view, file), 0);
}

/**
 * The position in `order` of the file a row belongs to, and the row of that file's header. Rows
 * of the file list belong to the first file.
 */
function locate(view: DiffViewState, row: number): { position: number; header: number } {
  let header = listRows(view);
  if (row < header) return { position: 0, header };
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
  const list = listRows(view);
  for (let row = view.top; row < list && rows.length < height; row++) {
    const file = view.order[row];
    rows.push(file === undefined ? { kind: 'gap' } : { kind: 'entry', file });
  }
  if (!view.order.length || rows.length >= height) return rows;
  const from = Math.max(view.top, list);
  const found = locate(view, from);
  let position = found.position;
  let offset = from - found.header;
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

/** The file at the top of the screen (the first while the list shows): collapse and file picks act on it. */
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

/** To the header of the next (or previous) file; back from the first file, to the file list. */
export function jumpFile(view: DiffViewState, direction: 1 | -1): DiffViewState {
  const list = listRows(view);
  if (!view.order.length) return view;
  if (view.top < list) return direction === 1 ? { ...view, top: list } : view;
  const { position, header } = locate(view, view.top);
  if (direction === -1 && position === 0 && view.top === header) return { ...view, top: 0 };
  const target =
    direction === -1 && view.top > header
      ? position
      : Math.max(0, Math.min(view.order.length - 1, position + direction));
  let top = list;
  for (let p = 0; p < target; p++) top += fileRows(view, view.order[p]!);
  return { ...view, top };
}

/** Collapses or expands the file at the top; its header stays in place (the list, if it shows). */
export function toggleCollapse(view: DiffViewState): DiffViewState {
  const file = currentFile(view);
  if (file === undefined) return view;
  const { header } = locate(view, view.top);
  const collapsed = view.collapsed.includes(file)
    ? view.collapsed.filter((f) => f !== file)
    : [...view.collapsed, file];
  return { ...view, collapsed, top: view.top < listRows(view) ? view.top : header };
}
