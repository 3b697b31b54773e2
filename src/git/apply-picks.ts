import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { visibleText } from '../system/visible-text.js';
import { ExternalCommandError, UserError } from '../errors.js';
import type { GitRunner } from './git-runner.js';
import type { MergeState, MergeStep } from './merge-state.js';
import { DIFF_OPTIONS, literal } from './session-diff.js';
import type { MergePick, SessionCommit } from './types.js';

/** The trailer a file-picked commit gets, naming the files taken. */
export const PICKED_FILES_TRAILER = 'Picked-files';

/**
 * Turns the person's picks into steps, oldest first, and sets aside those already on the target.
 * A pick names a session commit by its name or a unique prefix of it; a file pick that names every
 * file of its commit is a whole pick. Pure.
 */
export function planPicks(
  commits: readonly SessionCommit[],
  picks: readonly MergePick[],
): { steps: MergeStep[]; skipped: string[] } {
  const chosen = new Map<string, Set<string> | 'whole'>();
  for (const pick of picks) {
    const commit = findCommit(commits, pick.sha);
    const before = chosen.get(commit.sha);
    if (pick.files === undefined || before === 'whole') {
      chosen.set(commit.sha, 'whole');
      continue;
    }
    if (pick.files.length === 0)
      throw new UserError(`The pick of ${commit.sha.slice(0, 12)} names no files.`);
    const files = before ?? new Set<string>();
    for (const path of pick.files) {
      if (!commit.files.some((file) => file.path === path)) {
        throw new UserError(`Commit ${commit.sha.slice(0, 12)} does not change ${path}.`);
      }
      files.add(path);
    }
    chosen.set(commit.sha, files);
  }
  const steps: MergeStep[] = [];
  const skipped: string[] = [];
  for (const commit of commits) {
    const choice = chosen.get(commit.sha);
    if (choice === undefined) continue;
    if (commit.applied) {
      skipped.push(commit.sha);
      continue;
    }
    const whole = choice === 'whole' || commit.files.every((file) => choice.has(file.path));
    if (whole) {
      steps.push({ from: commit.sha, session: commit.sha, whole: true, subject: commit.subject });
      continue;
    }
    const files = commit.files.filter((file) => choice.has(file.path));
    steps.push({
      from: commit.sha,
      session: commit.sha,
      whole: false,
      subject: commit.subject,
      picked: files.map((file) => file.path),
      paths: files.flatMap((file) => (file.oldPath === undefined ? [file.path] : [file.oldPath, file.path])),
    });
  }
  return { steps, skipped };
}

function findCommit(commits: readonly SessionCommit[], sha: string): SessionCommit {
  const matches = sha.length >= 4 ? commits.filter((commit) => commit.sha.startsWith(sha.toLowerCase())) : [];
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new UserError(
    matches.length > 1
      ? `${sha} names more than one commit of the session.`
      : `${sha} is not a commit of this session (merge commits cannot be picked).`,
    'Pick commits as the session log lists them.',
  );
}

/** Paths a step changes in the person's worktree (both sides of a rename). */
export function stepPaths(step: MergeStep, commits: readonly SessionCommit[]): string[] {
  if (step.paths) return step.paths;
  const commit = commits.find((c) => c.sha === step.session);
  return (commit?.files ?? []).flatMap((file) =>
    file.oldPath === undefined ? [file.path] : [file.oldPath, file.path],
  );
}

/**
 * Applies the state's steps in its worktree, one commit each (the squash happens later), until all
 * are done or one conflicts; updates the state as it goes. Runs of whole picks go through one
 * `git cherry-pick` (author, date and message kept); a file pick is its commit's diff limited to
 * those paths, applied with `git apply --3way --index` and committed with the commit's author,
 * date and message plus a trailer naming the files.
 */
export async function applySteps(run: GitRunner, state: MergeState): Promise<'done' | 'conflict'> {
  const wt = state.worktree;
  while (state.steps.length > 0) {
    const first = state.steps[0];
    if (!first) break;
    if (first.paths && !first.replay) {
      if ((await applyFilePick(run, wt, first)) === 'conflict') return stopAtConflict(run, state);
      await commitStep(run, state, first);
      continue;
    }
    const batch: MergeStep[] = [];
    for (const step of state.steps) {
      if (step.paths && !step.replay) break;
      batch.push(step);
    }
    const before = await head(run, wt);
    const picked = await run(
      wt,
      [
        'cherry-pick',
        '--allow-empty',
        '--allow-empty-message',
        '--cleanup=verbatim',
        ...batch.map((s) => s.from),
      ],
      { allowFailure: true },
    );
    const made = picked.exitCode === 0 ? batch.length : await countSince(run, wt, before);
    for (const step of state.steps.splice(0, made)) {
      state.done.push({ session: step.session, whole: step.whole, subject: step.subject });
    }
    if (picked.exitCode === 0) continue;
    // Where git stopped, if it stopped on a commit at all (it refuses some before starting them).
    const stoppedOn = (
      await run(wt, ['rev-parse', '--quiet', '--verify', 'CHERRY_PICK_HEAD'], { allowFailure: true })
    ).stdout.trim();
    await run(wt, ['cherry-pick', '--quit']);
    if ((await unmergedFiles(run, wt)).length > 0) return stopAtConflict(run, state);
    const next = state.steps[0];
    if (
      next &&
      stoppedOn === next.from &&
      (await nothingStaged(run, wt)) &&
      (await changeIsThere(run, wt, next.from))
    ) {
      // It became empty: its change is on the target already. Only then is it counted as landed.
      state.steps.shift();
      state.skipped.push(next.session);
      await run(wt, ['reset', '--hard', '--quiet', 'HEAD']);
      continue;
    }
    await run(wt, ['reset', '--hard', '--quiet', 'HEAD']);
    throw new ExternalCommandError('git cherry-pick', picked.exitCode, visibleText(picked.stderr));
  }
  return 'done';
}

/** Whether the commit's change is in HEAD already: its patch, reversed, applies to it cleanly. */
async function changeIsThere(run: GitRunner, wt: string, commit: string): Promise<boolean> {
  const patch = await run(wt, [
    'diff-tree',
    '-p',
    '--binary',
    '--no-ext-diff',
    '--no-textconv',
    '--root',
    commit,
  ]);
  if (!patch.stdout.trim()) return true;
  const check = await run(wt, ['apply', '--check', '--reverse', '--cached'], {
    input: `${patch.stdout}\n`,
    allowFailure: true,
  });
  return check.exitCode === 0;
}

/** Commits what the step put in the index (after applying it, or after the person resolved it). */
export async function commitStep(run: GitRunner, state: MergeState, step: MergeStep): Promise<void> {
  const wt = state.worktree;
  state.steps.shift();
  if (await nothingStaged(run, wt)) {
    // A file pick whose change is on the target already, or a conflict resolved to no change.
    (state.conflict ? state.dropped : state.skipped).push(step.session);
    state.conflict = undefined;
    return;
  }
  const trailer =
    step.picked && !step.replay ? ['--trailer', `${PICKED_FILES_TRAILER}: ${step.picked.join(', ')}`] : [];
  await run(wt, [
    'commit',
    '--no-verify',
    '--quiet',
    '--allow-empty-message',
    '--cleanup=verbatim',
    '-C',
    step.from,
    ...trailer,
  ]);
  state.done.push({ session: step.session, whole: step.whole, subject: step.subject });
  state.conflict = undefined;
}

async function applyFilePick(run: GitRunner, wt: string, step: MergeStep): Promise<'applied' | 'conflict'> {
  const dir = await mkdtemp(join(tmpdir(), 'claude-tui-pick-'));
  const patch = join(dir, 'pick.patch');
  try {
    // Through a file, not a string: the patch must keep its bytes (text that is not UTF-8).
    const out = createWriteStream(patch);
    const written = finished(out);
    try {
      await run(
        wt,
        [
          'diff-tree',
          '-p',
          '--root',
          '--no-commit-id',
          '--diff-merges=first-parent',
          '--binary',
          '--full-index',
          ...DIFF_OPTIONS,
          step.from,
          '--',
          ...literal(step.paths),
        ],
        { stdout: out },
      );
    } finally {
      out.end();
    }
    await written;
    const applied = await run(wt, ['apply', '--3way', '--index', '--whitespace=nowarn', patch], {
      allowFailure: true,
    });
    // Not applied, with conflicts marked, or not at all (a file the target does not have): either
    // way the person makes the change by hand in the worktree, skips the commit, or aborts.
    return applied.exitCode === 0 ? 'applied' : 'conflict';
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function stopAtConflict(run: GitRunner, state: MergeState): Promise<'conflict'> {
  const step = state.steps[0];
  if (!step) throw new Error('a conflict with no step');
  const unmerged = await unmergedFiles(run, state.worktree);
  state.conflict = {
    sha: step.session,
    subject: step.subject,
    files: unmerged.length > 0 ? unmerged : (step.picked ?? []),
    head: await head(run, state.worktree),
  };
  return 'conflict';
}

export async function unmergedFiles(run: GitRunner, wt: string): Promise<string[]> {
  const { stdout } = await run(wt, ['diff', '--name-only', '-z', '--diff-filter=U']);
  return [...new Set(stdout.split('\0').filter(Boolean))];
}

async function nothingStaged(run: GitRunner, wt: string): Promise<boolean> {
  return (
    (await run(wt, ['diff', '--cached', '--quiet', 'HEAD', '--'], { allowFailure: true })).exitCode === 0
  );
}

export async function head(run: GitRunner, wt: string): Promise<string> {
  return (await run(wt, ['rev-parse', 'HEAD'])).stdout;
}

async function countSince(run: GitRunner, wt: string, since: string): Promise<number> {
  return Number((await run(wt, ['rev-list', '--count', `${since}..HEAD`])).stdout);
}
