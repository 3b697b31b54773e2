import { visibleText } from '../system/visible-text.js';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { ZERO_OID, type GitRunner } from './git-runner.js';
import { literal } from './session-diff.js';
import type { MergeTarget } from './types.js';

export interface ResolvedTarget {
  /** Short branch name. */
  branch: string;
  /** Made at the end (new-branch). */
  create: boolean;
  /** The commit the picks go on. */
  tip: string;
}

/**
 * Turns a target into a branch and the commit the picks go on, refusing what cannot be landed on:
 * a detached HEAD for `current`, a missing branch, an existing one for `new-branch`, a branch
 * checked out in another worktree (moving it would leave that worktree's files behind its HEAD).
 */
export async function resolveTarget(
  run: GitRunner,
  repoDir: string,
  target: MergeTarget,
): Promise<ResolvedTarget> {
  if (target.kind === 'current') {
    const head = await run(repoDir, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowFailure: true });
    if (head.exitCode !== 0) {
      throw new UserError(
        'HEAD is detached here, so there is no current branch to land on.',
        'Name a branch to land on (--branch NAME), or a new one (--new-branch NAME).',
      );
    }
    return resolveTarget(run, repoDir, { kind: 'branch', name: head.stdout });
  }
  await checkBranchName(run, repoDir, target.name);
  const existing = await branchTip(run, repoDir, target.name);
  if (target.kind === 'new-branch') {
    if (existing) {
      throw new UserError(
        `Branch ${target.name} exists already.`,
        'Land on it with --branch, or pick another name.',
      );
    }
    const head = await run(repoDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFailure: true });
    if (!head.stdout) throw new UserError('This repository has no commit yet to make a branch from.');
    return { branch: target.name, create: true, tip: head.stdout };
  }
  if (!existing) {
    throw new UserError(`There is no branch ${target.name}.`, `Make it with --new-branch ${target.name}.`);
  }
  await refuseOtherWorktree(run, repoDir, target.name);
  return { branch: target.name, create: false, tip: existing };
}

/** Where the branch's tip is now; for a branch still to be made, where HEAD is now. */
export async function currentTip(
  run: GitRunner,
  repoDir: string,
  branch: string,
  create: boolean,
): Promise<string> {
  if (create) return (await run(repoDir, ['rev-parse', '--verify', 'HEAD^{commit}'])).stdout;
  const tip = await branchTip(run, repoDir, branch);
  if (!tip) throw new UserError(`Branch ${branch} is gone.`, 'Abort this merge and start it again.');
  return tip;
}

async function branchTip(run: GitRunner, repoDir: string, branch: string): Promise<string | undefined> {
  const result = await run(repoDir, ['rev-parse', '--verify', '-q', `refs/heads/${branch}^{commit}`], {
    allowFailure: true,
  });
  return result.exitCode === 0 ? result.stdout : undefined;
}

async function checkBranchName(run: GitRunner, repoDir: string, name: string): Promise<void> {
  const result = await run(repoDir, ['check-ref-format', '--branch', name], { allowFailure: true });
  if (result.exitCode !== 0 || name.startsWith('-')) {
    throw new UserError(`"${name}" is not a valid branch name.`);
  }
}

/** Which worktree has the branch checked out: 'here' (repoDir's), another's path, or none. */
async function checkedOutIn(
  run: GitRunner,
  repoDir: string,
  branch: string,
): Promise<'here' | { elsewhere: string } | undefined> {
  const [list, top] = await Promise.all([
    run(repoDir, ['worktree', 'list', '--porcelain', '-z']),
    run(repoDir, ['rev-parse', '--show-toplevel']),
  ]);
  let path = '';
  for (const field of list.stdout.split('\0')) {
    if (field.startsWith('worktree ')) path = field.slice('worktree '.length);
    if (field === `branch refs/heads/${branch}`) {
      return resolve(path) === resolve(top.stdout) ? 'here' : { elsewhere: path };
    }
  }
  return undefined;
}

async function refuseOtherWorktree(run: GitRunner, repoDir: string, branch: string): Promise<void> {
  const where = await checkedOutIn(run, repoDir, branch);
  if (where !== undefined && where !== 'here') {
    throw new UserError(
      `Branch ${branch} is checked out in another worktree, ${where.elsewhere}.`,
      'Land from that worktree, or on another branch.',
    );
  }
}

/** Whether the branch is the one checked out in repoDir's worktree. */
export async function isCheckedOutHere(run: GitRunner, repoDir: string, branch: string): Promise<boolean> {
  return (await checkedOutIn(run, repoDir, branch)) === 'here';
}

/**
 * Refuses when any of these paths is modified, staged, untracked or ignored in the person's
 * worktree. Ignored ones count too: a fast-forward overwrites an ignored file without asking, and
 * an agent's commit may add a file the person keeps ignored (a .env).
 */
export async function refuseDirtyPaths(
  run: GitRunner,
  repoDir: string,
  paths: readonly string[],
): Promise<void> {
  if (paths.length === 0) return;
  const { stdout } = await run(repoDir, [
    'status',
    '--porcelain=v2',
    '-z',
    '--untracked-files=all',
    '--ignored=matching',
    '--no-renames',
    '--',
    ...literal(paths),
  ]);
  const dirty = statusPaths(stdout);
  if (dirty.length > 0) {
    throw new UserError(
      `Files the merge changes have changes of yours here: ${dirty.join(', ')}.`,
      'Commit, stash or move them away, then merge again; changes in other files may stay.',
    );
  }
}

/** The paths in `git status --porcelain=v2 -z` output. */
export function statusPaths(output: string): string[] {
  const fieldsBeforePath: Record<string, number> = { '1': 8, '2': 9, u: 10, '?': 1, '!': 1 };
  const paths: string[] = [];
  const tokens = output.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const count = fieldsBeforePath[token.charAt(0)];
    if (count === undefined) continue;
    const fields = token.split(' ');
    paths.push(fields.slice(count).join(' '));
    if (token.startsWith('2 ')) paths.push(tokens[++i] ?? '');
  }
  return paths;
}

/**
 * Moves (or makes) the branch to `next`, which descends from `expected`: with `git merge --ff-only`
 * where it is checked out here (git refuses to overwrite local changes, and leaves all as it was
 * then), else with a compare-and-swap update-ref. Returns false when the branch is no longer at
 * `expected` (it moved meanwhile), true when it moved.
 */
export async function moveBranch(
  run: GitRunner,
  repoDir: string,
  move: { branch: string; create: boolean; expected: string; next: string; reason: string },
): Promise<boolean> {
  const ref = `refs/heads/${move.branch}`;
  if (move.create) {
    const made = await run(repoDir, ['update-ref', '-m', move.reason, ref, move.next, ZERO_OID], {
      allowFailure: true,
    });
    if (made.exitCode !== 0) throw new UserError(`Branch ${move.branch} exists already.`);
    return true;
  }
  const where = await checkedOutIn(run, repoDir, move.branch);
  if (where !== undefined && where !== 'here') await refuseOtherWorktree(run, repoDir, move.branch);
  if ((await currentTip(run, repoDir, move.branch, false)) !== move.expected) return false;
  if (where === undefined) {
    const moved = await run(repoDir, ['update-ref', '-m', move.reason, ref, move.next, move.expected], {
      allowFailure: true,
    });
    return moved.exitCode === 0;
  }
  const changed = (
    await run(repoDir, ['diff', '--name-only', '-z', '--no-renames', move.expected, move.next])
  ).stdout
    .split('\0')
    .filter(Boolean);
  await refuseDirtyPaths(run, repoDir, changed);
  const top = (await run(repoDir, ['rev-parse', '--show-toplevel'])).stdout;
  const merged = await run(
    top,
    // Not even an ignored file of the person's is overwritten (a .env where the picks add .env/x).
    [
      'merge',
      '--ff-only',
      '--no-overwrite-ignore',
      '--no-autostash',
      '--no-verify',
      '--no-stat',
      '--quiet',
      move.next,
    ],
    { allowFailure: true },
  );
  if (merged.exitCode === 0) return true;
  if ((await currentTip(run, repoDir, move.branch, false)) !== move.expected) return false;
  throw new UserError(
    `Git would not move ${move.branch} here: ${visibleText(merged.stderr.trim())}`,
    'Nothing was changed in your worktree; fix what git names and continue the merge.',
  );
}
