import { describe, expect, it } from 'vitest';
import { parseDiff } from '../../src/git/parse-diff.js';
import { currentFile, rowCount, visibleRows } from '../../src/ui/merge/diff-view.js';
import {
  branchNameProblem,
  initialMergeState,
  landText,
  mergeRequest,
  reduceMerge,
  type MergeAction,
  type MergeScreenState,
} from '../../src/ui/merge/merge-state.js';
import { fakeDiff, fakeSessionCommits } from '../support/fake-merge.js';

const commits = fakeSessionCommits();
const [login, ci, typo] = commits as [(typeof commits)[0], (typeof commits)[0], (typeof commits)[0]];

function run(...actions: MergeAction[]): MergeScreenState {
  return actions.reduce(
    reduceMerge,
    reduceMerge(initialMergeState('s1'), { type: 'loaded', commits, branch: 'main' }),
  );
}

describe('the merge screen state', () => {
  it('picks every commit by default but those applied and those that run on the host', () => {
    const state = run();
    expect(Object.keys(state.picks)).toEqual([login.sha]);
    expect(mergeRequest(state)).toEqual({
      session: 's1',
      picks: [{ sha: login.sha }],
      target: { kind: 'current' },
    });
  });

  it('skips a picked commit with a toggle and picks it again', () => {
    expect(run({ type: 'toggle-pick' }).picks).toEqual({});
    expect(run({ type: 'toggle-pick' }, { type: 'toggle-pick' }).picks).toEqual({
      [login.sha]: { files: null },
    });
  });

  it('asks a second yes before picking a commit that runs on the host, and picks nothing on no', () => {
    const asked = run({ type: 'move', delta: 1 }, { type: 'toggle-pick' });
    expect(asked.question).toMatchObject({ kind: 'host-run', sha: ci.sha });
    expect(asked.question?.kind === 'host-run' && asked.question.detail).toContain(
      '.github/workflows/ci.yml runs on the host: a GitHub workflow',
    );
    expect(asked.picks[ci.sha]).toBeUndefined();
    const no = reduceMerge(asked, { type: 'answer', yes: false });
    expect(no.picks[ci.sha]).toBeUndefined();
    expect(no.question).toBeNull();
    const yes = reduceMerge(asked, { type: 'answer', yes: true });
    expect(yes.picks[ci.sha]).toEqual({ files: null });
    // Said once: skipping and picking it again asks no more.
    const again = reduceMerge(reduceMerge(yes, { type: 'toggle-pick' }), { type: 'toggle-pick' });
    expect(again.question).toBeNull();
    expect(again.picks[ci.sha]).toEqual({ files: null });
  });

  it('does not pick a commit that is already applied', () => {
    const state = run({ type: 'move', delta: 'bottom' }, { type: 'toggle-pick' });
    expect(state.picks[typo.sha]).toBeUndefined();
    expect(state.note?.text).toContain('already on the target');
  });

  it('takes only some files of a commit, picked in its diff', () => {
    const diff = parseDiff(fakeDiff(login.files.map((f) => ({ path: f.path, lines: 3 }))));
    const state = run({ type: 'diff-opened', diff }, { type: 'toggle-pick' });
    expect(state.picks[login.sha]).toEqual({ files: ['src/form.ts'] });
    expect(mergeRequest(state).picks).toEqual([{ sha: login.sha, files: ['src/form.ts'] }]);
    expect(landText(state)).toBe('Land 1 commit (1 in part) on main (current branch)?');
    // Both files off: the commit is not picked at all; one back on: a part again.
    // The diff opens on its file list; the first jump is to the first file, the second to the next.
    const second: MergeAction[] = [
      { type: 'diff-file', direction: 1 },
      { type: 'diff-file', direction: 1 },
    ];
    const none = reduceMerge(second.reduce(reduceMerge, state), { type: 'toggle-pick' });
    expect(none.picks[login.sha]).toBeUndefined();
  });

  it("shows a commit's host-run files first in its diff and asks before picking one", () => {
    const diff = parseDiff(fakeDiff(ci.files.map((f) => ({ path: f.path, lines: 2 }))));
    const state = run({ type: 'move', delta: 1 }, { type: 'diff-opened', diff });
    expect(diff.files[currentFile(state.diff!)!]!.path).toBe('.github/workflows/ci.yml');
    const asked = reduceMerge(state, { type: 'toggle-pick' });
    expect(asked.question).toMatchObject({ kind: 'host-run', file: '.github/workflows/ci.yml' });
    const yes = reduceMerge(asked, { type: 'answer', yes: true });
    expect(yes.picks[ci.sha]).toEqual({ files: ['.github/workflows/ci.yml'] });
  });

  it('squashes with a message prefilled with the picked subjects, and an empty one turns it off', () => {
    const two = run({ type: 'move', delta: 1 }, { type: 'toggle-pick' }, { type: 'answer', yes: true });
    const editing = reduceMerge(two, { type: 'edit-squash' });
    expect(editing.editing).toEqual({ kind: 'squash', value: 'Add the login form\nRun the tests in CI' });
    const done = reduceMerge(editing, { type: 'edit-done', value: 'Login, with CI\n\nBoth parts.' });
    expect(mergeRequest(done).squash).toEqual({ message: 'Login, with CI\n\nBoth parts.' });
    expect(landText(done)).toBe('Squash 2 commits into one and land it on main (current branch)?');
    const off = reduceMerge(reduceMerge(done, { type: 'edit-squash' }), { type: 'edit-done', value: '  ' });
    expect(mergeRequest(off).squash).toBeUndefined();
  });

  it('lands on a new branch whose name is checked as typed', () => {
    const editing = run({ type: 'edit-target' });
    expect(editing.editing).toEqual({ kind: 'branch', value: '' });
    const bad = reduceMerge(editing, { type: 'edit-done', value: 'my branch' });
    expect(bad.editing).not.toBeNull();
    expect(bad.note?.kind).toBe('error');
    const good = reduceMerge(editing, { type: 'edit-done', value: 'agent/login' });
    expect(mergeRequest(good).target).toEqual({ kind: 'new-branch', name: 'agent/login' });
    expect(reduceMerge(good, { type: 'edit-target' }).target).toEqual({ kind: 'current' });
    expect(branchNameProblem('a..b')).toBeDefined();
    expect(branchNameProblem('-x')).toBeDefined();
    expect(branchNameProblem('feature/x-1')).toBeUndefined();
  });

  it('asks before landing, and refuses when nothing is picked', () => {
    expect(run({ type: 'land' }).question).toEqual({
      kind: 'land',
      text: 'Land 1 commit on main (current branch)?',
    });
    const none = run({ type: 'toggle-pick' }, { type: 'land' });
    expect(none.question).toBeNull();
    expect(none.note).toEqual({ kind: 'error', text: 'Nothing is picked.' });
  });

  it('keeps the choices when read again after landing, and drops commits now applied', () => {
    const chosen = run({ type: 'move', delta: 1 }, { type: 'toggle-pick' }, { type: 'answer', yes: true });
    const landed = commits.map((c) => (c.sha === login.sha ? { ...c, applied: true } : c));
    const again = reduceMerge(chosen, { type: 'loaded', commits: landed, branch: 'main' });
    expect(Object.keys(again.picks)).toEqual([ci.sha]);
  });
});

describe('the diff view', () => {
  const diff = parseDiff(
    fakeDiff([
      { path: 'a.txt', lines: 5 },
      { path: 'b.txt', lines: 10_000 },
    ]),
  );
  const open = () => run({ type: 'diff-opened', diff });

  it('counts rows without building them, and shows a window from any row', () => {
    const state = reduceMerge(open(), { type: 'diff-scroll', delta: 5000, height: 20 });
    // The file list and a gap, then each file: its header, hunk line and lines.
    expect(rowCount(state.diff!)).toBe(3 + 2 + 6 + 10_001);
    const rows = visibleRows(state.diff!, 20);
    expect(rows).toHaveLength(20);
    expect(diff.lines[(rows[0] as { line: number }).line]).toBe('+b.txt line 4989');
  });

  it('collapses the file at the top to its header, and jumps between files', () => {
    const collapsed = reduceMerge(open(), { type: 'diff-collapse' });
    expect(rowCount(collapsed.diff!)).toBe(3 + 2 + 0 + 10_001);
    expect(visibleRows(collapsed.diff!, 5)).toEqual([
      { kind: 'entry', file: 0 },
      { kind: 'entry', file: 1 },
      { kind: 'gap' },
      { kind: 'file', file: 0 },
      { kind: 'file', file: 1 },
    ]);
    const first = reduceMerge(open(), { type: 'diff-file', direction: 1 });
    expect(first.diff!.top).toBe(3);
    const second = reduceMerge(first, { type: 'diff-file', direction: 1 });
    expect(second.diff!.top).toBe(3 + 7);
    const back = reduceMerge(second, { type: 'diff-file', direction: -1 });
    expect(back.diff!.top).toBe(3);
    expect(reduceMerge(back, { type: 'diff-file', direction: -1 }).diff!.top).toBe(0);
  });

  it('does not scroll past the last page', () => {
    const end = reduceMerge(open(), { type: 'diff-scroll', delta: 'bottom', height: 20 });
    expect(end.diff!.top).toBe(rowCount(end.diff!) - 20);
    expect(reduceMerge(end, { type: 'diff-scroll', delta: 100, height: 20 }).diff!.top).toBe(end.diff!.top);
  });
});
