import type { ParsedDiff } from '../../git/parse-diff.js';
import type { MergeOutcome, MergeRequest, MergeTarget, SessionCommit } from '../../git/types.js';
import {
  currentFile,
  jumpFile,
  openDiffView,
  scrollDiff,
  toggleCollapse,
  type DiffViewState,
} from './diff-view.js';

/**
 * The merge screen's state and the one reducer that changes it: which commits (and which of their
 * files) are picked, the squash message, the target, and which view is up. Calls to git are the
 * screen's; their answers come back here as actions.
 */

/** A picked commit: all its files (null), or only these. */
export interface Pick {
  files: readonly string[] | null;
}

export type Question =
  /** Picking this changes files that run on the host: a second yes. */
  | { kind: 'host-run'; sha: string; file: string | null; text: string; detail: string }
  | { kind: 'land'; text: string }
  | { kind: 'abort' };

export type Editing = { kind: 'squash'; value: string } | { kind: 'branch'; value: string };

export type MergeView = 'list' | 'diff' | 'outcome' | 'conflict';

export interface Note {
  kind: 'info' | 'error';
  text: string;
}

export interface MergeScreenState {
  session: string;
  /** Null until read. Oldest first. */
  commits: readonly SessionCommit[] | null;
  /** The branch checked out on the host; null when detached (or not read yet). */
  branch: string | null;
  selected: number;
  picks: Readonly<Record<string, Pick>>;
  /** Commits whose host-run files the person said a second yes to. */
  hostRunConfirmed: readonly string[];
  squash: { message: string } | null;
  target: MergeTarget;
  view: MergeView;
  diff: DiffViewState | null;
  question: Question | null;
  editing: Editing | null;
  outcome: MergeOutcome | null;
  /** The latest thing to tell the person (the screen passes it to the status line). */
  note: Note | null;
}

export type MergeAction =
  | { type: 'loaded'; commits: readonly SessionCommit[]; branch: string | null }
  | { type: 'move'; delta: number | 'top' | 'bottom' }
  | { type: 'toggle-pick' }
  | { type: 'answer'; yes: boolean }
  | { type: 'diff-opened'; diff: ParsedDiff }
  | { type: 'diff-scroll'; delta: number | 'top' | 'bottom'; height: number }
  | { type: 'diff-file'; direction: 1 | -1 }
  | { type: 'diff-collapse' }
  | { type: 'back' }
  | { type: 'edit-squash' }
  | { type: 'edit-target' }
  | { type: 'edit-input'; value: string }
  | { type: 'edit-done'; value: string }
  | { type: 'edit-cancel' }
  | { type: 'land' }
  | { type: 'ask-abort' }
  | { type: 'outcome'; outcome: MergeOutcome }
  | { type: 'aborted' }
  | { type: 'note'; note: Note };

export function initialMergeState(session: string): MergeScreenState {
  return {
    session,
    commits: null,
    branch: null,
    selected: 0,
    picks: {},
    hostRunConfirmed: [],
    squash: null,
    target: { kind: 'current' },
    view: 'list',
    diff: null,
    question: null,
    editing: null,
    outcome: null,
    note: null,
  };
}

/** Commits that land by default: all but those already applied and those that need a second yes. */
const pickedByDefault = (commit: SessionCommit) => !commit.applied && !commit.hostRun;

export function selectedCommit(state: MergeScreenState): SessionCommit | undefined {
  return state.commits?.[state.selected];
}

/** The commit the diff view shows. */
export function diffCommit(state: MergeScreenState): SessionCommit | undefined {
  return state.commits?.find((c) => c.sha === state.diff?.sha);
}

export function pickedCommits(state: MergeScreenState): SessionCommit[] {
  return (state.commits ?? []).filter((c) => !c.applied && state.picks[c.sha]);
}

/** What `merge` is asked to do. */
export function mergeRequest(state: MergeScreenState): MergeRequest {
  return {
    session: state.session,
    picks: pickedCommits(state).map((c) => {
      const files = state.picks[c.sha]?.files;
      return files ? { sha: c.sha, files: [...files] } : { sha: c.sha };
    }),
    ...(state.squash ? { squash: { message: state.squash.message } } : {}),
    target: state.target,
  };
}

export function targetLabel(state: MergeScreenState): string {
  const branch = state.branch ?? 'the detached HEAD';
  return state.target.kind === 'new-branch'
    ? `new branch ${state.target.name} (from ${branch})`
    : state.target.kind === 'branch'
      ? state.target.name
      : `${branch} (current branch)`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The question asked before landing. */
export function landText(state: MergeScreenState): string {
  const picked = pickedCommits(state);
  const partial = picked.filter((c) => state.picks[c.sha]?.files).length;
  const what = `${plural(picked.length, 'commit')}${partial ? ` (${partial} in part)` : ''}`;
  const target = targetLabel(state);
  return state.squash ? `Squash ${what} into one and land it on ${target}?` : `Land ${what} on ${target}?`;
}

/** Why a branch name would be refused (a short form of git check-ref-format's rules). */
export function branchNameProblem(name: string): string | undefined {
  if (!name) return 'type the name of the new branch';
  // eslint-disable-next-line no-control-regex -- control bytes are among what git refuses
  if (/[\s~^:?*[\\]|[\x00-\x1f\x7f]/.test(name)) return 'a branch name has no spaces or any of ~^:?*[\\';
  if (name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.'))
    return 'a branch name does not start with - or /, or end with / or .';
  if (name.includes('..') || name.includes('//') || name.includes('@{') || name.endsWith('.lock'))
    return 'a branch name has no .., //, @{ and does not end with .lock';
  return undefined;
}

const note = (state: MergeScreenState, kind: Note['kind'], text: string): MergeScreenState => ({
  ...state,
  note: { kind, text },
});

/** The subjects of the picked commits, one a line: where a squash message starts. */
export function squashDraft(state: MergeScreenState): string {
  return pickedCommits(state)
    .map((c) => c.subject)
    .join('\n');
}

function hostRunQuestion(commit: SessionCommit, file: string | null): Question {
  const files = commit.files.filter((f) => f.hostRun && (file === null || f.path === file));
  const first = files[0];
  const more = files.length > 1 ? ` (and ${files.length - 1} more)` : '';
  return {
    kind: 'host-run',
    sha: commit.sha,
    file,
    text: `Pick ${file === null ? commit.sha.slice(0, 7) : file} though it runs on the host?`,
    detail: first ? `${first.path} runs on the host: ${first.hostRun}${more}` : '',
  };
}

function setPick(state: MergeScreenState, sha: string, pick: Pick | null): MergeScreenState {
  const picks = { ...state.picks };
  if (pick) picks[sha] = pick;
  else delete picks[sha];
  return { ...state, picks };
}

/** Picks or skips a whole commit; picking one with host-run files first asks. */
function toggleCommit(state: MergeScreenState, commit: SessionCommit, confirmed = false): MergeScreenState {
  if (commit.applied)
    return note(state, 'info', `${commit.sha.slice(0, 7)} is already on the target; a merge skips it.`);
  if (state.picks[commit.sha]) return setPick(state, commit.sha, null);
  if (commit.hostRun && !confirmed && !state.hostRunConfirmed.includes(commit.sha))
    return {
      ...state,
      question: hostRunQuestion(commit, null),
    };
  return setPick(state, commit.sha, { files: null });
}

/** Picks or skips one file of a commit; a commit left with no file is not picked at all. */
function toggleFile(
  state: MergeScreenState,
  commit: SessionCommit,
  path: string,
  confirmed = false,
): MergeScreenState {
  if (commit.applied)
    return note(state, 'info', `${commit.sha.slice(0, 7)} is already on the target; a merge skips it.`);
  const all = commit.files.map((f) => f.path);
  const pick = state.picks[commit.sha];
  const now = pick ? (pick.files ?? all) : [];
  if (now.includes(path)) {
    const files = now.filter((p) => p !== path);
    return setPick(state, commit.sha, files.length ? { files } : null);
  }
  const hostRun = commit.files.find((f) => f.path === path)?.hostRun;
  if (hostRun && !confirmed && !state.hostRunConfirmed.includes(commit.sha))
    return {
      ...state,
      question: hostRunQuestion(commit, path),
    };
  const files = all.filter((p) => p === path || now.includes(p));
  return setPick(state, commit.sha, { files: files.length === all.length ? null : files });
}

function onLoaded(
  state: MergeScreenState,
  commits: readonly SessionCommit[],
  branch: string | null,
): MergeScreenState {
  // Read again after landing: the person's choices stay, commits now applied drop out.
  const known = new Set(state.commits?.map((c) => c.sha));
  const picks: Record<string, Pick> = {};
  for (const commit of commits) {
    if (commit.applied) continue;
    const pick = known.has(commit.sha)
      ? state.picks[commit.sha]
      : pickedByDefault(commit)
        ? { files: null }
        : undefined;
    if (pick) picks[commit.sha] = pick;
  }
  const selected = Math.min(state.selected, Math.max(0, commits.length - 1));
  return { ...state, commits, branch, picks, selected };
}

export function reduceMerge(state: MergeScreenState, action: MergeAction): MergeScreenState {
  switch (action.type) {
    case 'loaded':
      return onLoaded(state, action.commits, action.branch);
    case 'move': {
      const count = state.commits?.length ?? 0;
      if (!count) return state;
      const { delta } = action;
      const selected =
        delta === 'top'
          ? 0
          : delta === 'bottom'
            ? count - 1
            : Math.max(0, Math.min(count - 1, state.selected + delta));
      return { ...state, selected };
    }
    case 'toggle-pick': {
      if (state.view === 'diff' && state.diff) {
        const commit = diffCommit(state);
        const file = currentFile(state.diff);
        if (!commit || file === undefined) return state;
        return toggleFile(state, commit, state.diff.diff.files[file]!.path);
      }
      const commit = selectedCommit(state);
      return commit ? toggleCommit(state, commit) : state;
    }
    case 'answer': {
      const question = state.question;
      const next = { ...state, question: null };
      if (question?.kind !== 'host-run') return next;
      if (!action.yes) return note(next, 'info', 'Not picked.');
      const commit = state.commits?.find((c) => c.sha === question.sha);
      if (!commit) return next;
      const confirmed = { ...next, hostRunConfirmed: [...next.hostRunConfirmed, commit.sha] };
      return question.file === null
        ? toggleCommit(confirmed, commit, true)
        : toggleFile(confirmed, commit, question.file, true);
    }
    case 'diff-opened': {
      const commit = selectedCommit(state);
      if (!commit) return state;
      return { ...state, view: 'diff', diff: openDiffView(commit, action.diff) };
    }
    case 'diff-scroll':
      return state.diff ? { ...state, diff: scrollDiff(state.diff, action.delta, action.height) } : state;
    case 'diff-file':
      return state.diff ? { ...state, diff: jumpFile(state.diff, action.direction) } : state;
    case 'diff-collapse':
      return state.diff ? { ...state, diff: toggleCollapse(state.diff) } : state;
    case 'back':
      return { ...state, view: 'list', diff: null, outcome: null };
    case 'edit-squash': {
      if (!pickedCommits(state).length)
        return note(state, 'error', 'Pick a commit first: there is nothing to squash.');
      return { ...state, editing: { kind: 'squash', value: state.squash?.message ?? squashDraft(state) } };
    }
    case 'edit-target':
      if (state.target.kind !== 'current')
        return note(
          { ...state, target: { kind: 'current' } },
          'info',
          `Lands on ${state.branch ?? 'the current branch'}.`,
        );
      return { ...state, editing: { kind: 'branch', value: '' } };
    case 'edit-input':
      return state.editing ? { ...state, editing: { ...state.editing, value: action.value } } : state;
    case 'edit-done': {
      const editing = state.editing;
      if (!editing) return state;
      if (editing.kind === 'branch') {
        const name = action.value.trim();
        const problem = branchNameProblem(name);
        if (problem) return note(state, 'error', problem);
        return { ...state, editing: null, target: { kind: 'new-branch', name } };
      }
      const message = action.value.trim();
      if (!message)
        return note({ ...state, editing: null, squash: null }, 'info', 'No squash: one commit per pick.');
      return { ...state, editing: null, squash: { message } };
    }
    case 'edit-cancel':
      return { ...state, editing: null };
    case 'land':
      if (!pickedCommits(state).length) return note(state, 'error', 'Nothing is picked.');
      return { ...state, question: { kind: 'land', text: landText(state) } };
    case 'ask-abort':
      return { ...state, question: { kind: 'abort' } };
    case 'outcome':
      return {
        ...state,
        question: null,
        outcome: action.outcome,
        view: action.outcome.kind === 'conflict' ? 'conflict' : 'outcome',
        diff: null,
      };
    case 'aborted':
      return note(
        { ...state, view: 'list', outcome: null, question: null },
        'info',
        'The merge was aborted; nothing landed.',
      );
    case 'note':
      return note(state, action.note.kind, action.note.text);
  }
}
