import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { visibleText } from '../system/visible-text.js';
import { UserError } from '../errors.js';
import { applySteps, commitStep, head, planPicks, stepPaths, unmergedFiles } from './apply-picks.js';
import { lines, type GitRunner } from './git-runner.js';
import { markLanded } from './landed-marks.js';
import {
  mergePaths,
  readState,
  removeState,
  toPendingMerge,
  writeState,
  type MergePaths,
  type MergeState,
} from './merge-state.js';
import { currentTip, isCheckedOutHere, moveBranch, refuseDirtyPaths, resolveTarget } from './merge-target.js';
import { listSessionCommits } from './session-log.js';
import { checkSessionName } from './session-name.js';
import type { MergeOutcome, MergeRequest, PendingMerge, SessionClone } from './types.js';

/**
 * Lands picked session commits on a branch. The picks are applied in a repository of the merge's
 * own in claude-tui's state folder (see mergePaths), starting at the target's tip; the person's worktree, index, stash and
 * untracked files are not touched until the very end, when the branch moves by a fast-forward git
 * makes itself (checked out here) or a compare-and-swap of the ref (not checked out). A conflict
 * stops with the worktree and a state file kept, for continueMerge, skipConflict or abortMerge.
 */
export async function mergeSession(
  run: GitRunner,
  repoDir: string,
  request: MergeRequest,
  clone?: SessionClone,
): Promise<MergeOutcome> {
  checkSessionName(request.session);
  const paths = await mergePaths(run, repoDir, request.session);
  const waiting = await readState(paths);
  if (waiting) {
    throw new UserError(
      `A merge of session ${request.session} is waiting at a conflict in ${waiting.worktree}.`,
      'Resolve it and run merge --continue, or merge --skip to leave that commit out, or merge --abort.',
    );
  }
  const target = await resolveTarget(run, repoDir, request.target);
  const commits = await listSessionCommits(run, repoDir, request.session, request.target);
  const { steps, skipped } = planPicks(commits, request.picks);
  if (!target.create && (await isCheckedOutHere(run, repoDir, target.branch))) {
    await refuseDirtyPaths(run, repoDir, [...new Set(steps.flatMap((step) => stepPaths(step, commits)))]);
  }
  const state: MergeState = {
    session: request.session,
    worktree: paths.worktree,
    target: request.target,
    branch: target.branch,
    create: target.create,
    startTip: target.tip,
    ...(request.squash ? { squash: request.squash } : {}),
    dryRun: request.dryRun === true,
    steps,
    done: [],
    skipped,
    dropped: [],
  };
  await addWorktree(run, repoDir, paths, target.tip);
  try {
    return await advance(run, repoDir, paths, state, clone);
  } catch (error) {
    await discard(run, repoDir, paths);
    throw error;
  }
}

/**
 * Goes on after the person resolved the conflict in the worktree and staged the result (or made
 * the commit there). Refuses while unmerged files or conflict markers remain, naming them.
 */
export async function continueMerge(
  run: GitRunner,
  repoDir: string,
  session: string,
  clone?: SessionClone,
): Promise<MergeOutcome> {
  const { paths, state } = await waitingMerge(run, repoDir, session);
  const conflict = state.conflict;
  if (conflict) {
    const wt = state.worktree;
    const unmerged = await unmergedFiles(run, wt);
    if (unmerged.length > 0) {
      throw new UserError(
        `These files still have conflicts: ${unmerged.join(', ')}.`,
        `Resolve them in ${wt}, stage them with git add (or git rm), then continue.`,
      );
    }
    const marked = await filesWithMarkers(run, wt);
    if (marked.length > 0) {
      throw new UserError(
        `These files still hold conflict markers: ${marked.join(', ')}.`,
        `Edit them in ${wt}, stage them with git add, then continue.`,
      );
    }
    const step = state.steps[0];
    if (!step) throw new Error('a waiting conflict with no step');
    const now = await head(run, wt);
    if (now === conflict.head) {
      await commitStep(run, state, step);
    } else {
      await takePersonsCommit(run, state, conflict.head);
    }
  }
  return advanceKeepingState(run, repoDir, paths, state, clone);
}

/** Leaves out the commit that conflicted and goes on with the rest. */
export async function skipConflict(
  run: GitRunner,
  repoDir: string,
  session: string,
  clone?: SessionClone,
): Promise<MergeOutcome> {
  const { paths, state } = await waitingMerge(run, repoDir, session);
  if (state.conflict) {
    await run(state.worktree, ['reset', '--hard', '--quiet', state.conflict.head]);
    await run(state.worktree, ['clean', '-ffdq']);
    const step = state.steps.shift();
    if (step) state.dropped.push(step.session);
    state.conflict = undefined;
  }
  return advanceKeepingState(run, repoDir, paths, state, clone);
}

/**
 * Gives up the merge: the temporary worktree and the state go, and the person's repository is as it
 * was before the merge (nothing of theirs was changed while it waited).
 */
export async function abortMerge(run: GitRunner, repoDir: string, session: string): Promise<void> {
  checkSessionName(session);
  const paths = await mergePaths(run, repoDir, session);
  await discard(run, repoDir, paths);
}

/** The merge of this session waiting at a conflict, if any. */
export async function pendingMerge(
  run: GitRunner,
  repoDir: string,
  session: string,
): Promise<PendingMerge | undefined> {
  checkSessionName(session);
  const state = await readState(await mergePaths(run, repoDir, session));
  return state ? toPendingMerge(state) : undefined;
}

async function waitingMerge(
  run: GitRunner,
  repoDir: string,
  session: string,
): Promise<{ paths: MergePaths; state: MergeState }> {
  checkSessionName(session);
  const paths = await mergePaths(run, repoDir, session);
  const state = await readState(paths);
  if (!state) throw new UserError(`No merge of session ${session} is waiting.`);
  return { paths, state };
}

/** After a conflict, a failure keeps the state: the person's resolution is in the worktree. */
async function advanceKeepingState(
  run: GitRunner,
  repoDir: string,
  paths: MergePaths,
  state: MergeState,
  clone: SessionClone | undefined,
): Promise<MergeOutcome> {
  try {
    return await advance(run, repoDir, paths, state, clone);
  } catch (error) {
    await writeState(paths, state);
    throw error;
  }
}

/**
 * Applies what is left, then lands: if the branch moved since the picks were applied, they are
 * applied again on its new tip first, as often as it keeps moving (a few times at most).
 */
async function advance(
  run: GitRunner,
  repoDir: string,
  paths: MergePaths,
  state: MergeState,
  clone: SessionClone | undefined,
): Promise<MergeOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await applySteps(run, state)) === 'conflict') return stopped(run, repoDir, paths, state);
    const tip = await currentTip(run, repoDir, state.branch, state.create);
    if (tip !== state.startTip) {
      await replayOnto(run, state, tip);
      continue;
    }
    const made = lines(
      (await run(state.worktree, ['rev-list', '--reverse', `${state.startTip}..HEAD`])).stdout,
    );
    const commits = state.squash && made.length > 0 ? [await squash(run, state, state.squash.message)] : made;
    const next = commits.at(-1) ?? state.startTip;
    const landed = {
      kind: 'landed' as const,
      branch: state.branch,
      commits,
      skipped: state.skipped,
      ...(state.dropped.length > 0 ? { dropped: state.dropped } : {}),
      dryRun: state.dryRun,
    };
    if (state.dryRun) {
      await discard(run, repoDir, paths);
      return landed;
    }
    if (next !== state.startTip || state.create) {
      await takeObjects(run, repoDir, paths, next);
      const moved = await moveBranch(run, repoDir, {
        branch: state.branch,
        create: state.create,
        expected: state.startTip,
        next,
        reason: `claude-tui: land session ${state.session}`,
      });
      if (!moved) continue;
    }
    const whole = [
      ...state.done.filter((entry) => entry.whole).map((entry) => entry.session),
      ...state.skipped,
    ];
    const warnings = await markLanded(run, repoDir, state.session, whole, clone);
    await discard(run, repoDir, paths);
    return warnings.length > 0 ? { ...landed, warnings } : landed;
  }
  throw new UserError(
    `Branch ${state.branch} kept moving while the session's commits were put on it.`,
    'Continue the merge when nothing else is committing to it.',
  );
}

async function stopped(
  run: GitRunner,
  repoDir: string,
  paths: MergePaths,
  state: MergeState,
): Promise<MergeOutcome> {
  const conflict = state.conflict;
  if (!conflict) throw new Error('stopped with no conflict');
  if (state.dryRun) await discard(run, repoDir, paths);
  else await writeState(paths, state);
  return {
    kind: 'conflict',
    sha: conflict.sha,
    subject: conflict.subject,
    files: conflict.files,
    worktree: state.worktree,
  };
}

/** The commits made so far become steps again, on the branch's new tip. */
async function replayOnto(run: GitRunner, state: MergeState, tip: string): Promise<void> {
  const made = lines(
    (await run(state.worktree, ['rev-list', '--reverse', `${state.startTip}..HEAD`])).stdout,
  );
  if (made.length !== state.done.length) throw new Error('the merge worktree does not match its state');
  const replays = made.map((sha, i) => {
    const entry = state.done[i];
    if (!entry) throw new Error('the merge worktree does not match its state');
    return { from: sha, session: entry.session, whole: entry.whole, subject: entry.subject, replay: true };
  });
  await run(state.worktree, ['checkout', '--quiet', '--detach', tip]);
  state.steps = [...replays, ...state.steps];
  state.done = [];
  state.startTip = tip;
}

/** One commit of everything applied, by the host's git identity. */
async function squash(run: GitRunner, state: MergeState, message: string): Promise<string> {
  const { stdout } = await run(
    state.worktree,
    ['commit-tree', 'HEAD^{tree}', '-p', state.startTip, '-F', '-'],
    {
      input: message.endsWith('\n') ? message : `${message}\n`,
    },
  );
  return stdout;
}

/** The person made the commit in the worktree themselves: it stands for the step. */
async function takePersonsCommit(run: GitRunner, state: MergeState, stoppedAt: string): Promise<void> {
  const made = lines((await run(state.worktree, ['rev-list', `${stoppedAt}..HEAD`])).stdout);
  const parent = (await run(state.worktree, ['rev-parse', 'HEAD~1'], { allowFailure: true })).stdout;
  if (made.length !== 1 || parent !== stoppedAt) {
    throw new UserError(
      `The merge worktree ${state.worktree} moved by more than the one commit being resolved.`,
      'Abort the merge and start it again.',
    );
  }
  const step = state.steps.shift();
  if (step) state.done.push({ session: step.session, whole: step.whole, subject: step.subject });
  state.conflict = undefined;
}

/** Staged files that still hold a conflict marker line. */
async function filesWithMarkers(run: GitRunner, wt: string): Promise<string[]> {
  const result = await run(
    wt,
    [
      'grep',
      '--cached',
      '-l',
      '-z',
      '-I',
      '-E',
      '-e',
      '^<{7}( |$)',
      '-e',
      '^>{7}( |$)',
      '-e',
      '^\\|{7}( |$)',
    ],
    { allowFailure: true },
  );
  return result.stdout.split('\0').filter(Boolean);
}

/**
 * The merge's own repository, checked out at `tip`: it reads the person's objects through
 * alternates and writes its own, and nothing of it is registered in the person's repository.
 */
async function addWorktree(run: GitRunner, repoDir: string, paths: MergePaths, tip: string): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  if (existsSync(paths.worktree)) {
    throw new UserError(
      `A merge of this session seems to be under way (${paths.worktree} exists).`,
      'If none is, clear it with merge --abort.',
    );
  }
  await run(paths.dir, ['init', '--quiet', paths.worktree]);
  await writeFile(
    join(paths.worktree, '.git', 'objects', 'info', 'alternates'),
    `${join(paths.gitDir, 'objects')}\n`,
  );
  // The person's name on what is made here (a squash), as in their repository.
  for (const key of ['user.name', 'user.email']) {
    const value = await run(repoDir, ['config', key], { allowFailure: true });
    if (value.exitCode === 0) await run(paths.worktree, ['config', key, value.stdout]);
  }
  const checkedOut = await run(paths.worktree, ['checkout', '--quiet', '--detach', tip], {
    allowFailure: true,
  });
  if (checkedOut.exitCode !== 0) {
    await rm(paths.worktree, { recursive: true, force: true });
    throw new UserError(`Could not make the merge's worktree: ${visibleText(checkedOut.stderr.trim())}`);
  }
}

/** Brings what the merge made into the person's repository, so that their branch can point at it. */
async function takeObjects(run: GitRunner, repoDir: string, paths: MergePaths, tip: string): Promise<void> {
  await run(paths.worktree, ['update-ref', 'refs/heads/claude-tui-landing', tip]);
  await run(repoDir, [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    paths.worktree,
    'refs/heads/claude-tui-landing',
  ]);
}

/** Removes the merge's repository and the state; what is not there is fine. */
async function discard(_run: GitRunner, _repoDir: string, paths: MergePaths): Promise<void> {
  await rm(paths.worktree, { recursive: true, force: true });
  await removeState(paths);
}
