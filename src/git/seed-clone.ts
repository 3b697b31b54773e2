import { PassThrough } from 'node:stream';
import { UsageError, UserError } from '../errors.js';
import type { GitRunner } from './git-runner.js';
import type { SessionClone } from './types.js';

/** In the clone: the commit it started from, written once the clone is complete. */
export const CLONE_BASE = 'refs/claude-tui/base';

/**
 * How a git session's clone is made: only the commits reachable from the chosen one travel (a pack
 * made by the host's git, streamed over the exec connection into the clone's git), so nothing the
 * person's other branches or their unreachable objects hold (a secret committed and amended away)
 * reaches the agent, and no path into Docker's storage is needed. The clone has no remote.
 */
export interface SeedPlan {
  /** The commit the session starts from: its work is what comes after it. */
  base: string;
  /** The clone's branch: the host's branch name when starting from one. */
  branch: string;
  /** What the clone's HEAD is: the base, or a commit of the host's uncommitted changes on it. */
  tip: string;
  /** Files changed on the host and not committed (tracked or untracked, ignored ones aside). */
  uncommitted: string[];
  /** Whether those changes are the session's first commit. */
  changesIncluded: boolean;
}

export async function planSeed(
  run: GitRunner,
  repoDir: string,
  request: { session: string; from?: string; includeChanges: boolean },
): Promise<SeedPlan> {
  const git: HostGit = (args, input, extraEnv = {}) =>
    run(repoDir, args, { env: extraEnv, allowFailure: true, ...(input === undefined ? {} : { input }) });
  const top = await git(['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    throw new UserError(
      `${repoDir} is not a git repository, and a git session is a clone of one.`,
      'Run `git init` and make a first commit, or start a session without --git.',
    );
  }
  const ref = request.from ?? 'HEAD';
  const resolved = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (resolved.exitCode !== 0) {
    throw new UserError(
      request.from
        ? `${request.from} is not a commit in ${repoDir}.`
        : `${repoDir} has no commit yet, and a git session starts from one.`,
      request.from ? 'Name a branch, tag or commit with --from.' : 'Make a first commit, then start again.',
    );
  }
  const base = resolved.stdout.trim();
  const head = (await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).stdout.trim();
  const branch = await branchName(git, request);
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const uncommitted = status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
  if (!request.includeChanges || !uncommitted.length) {
    return { base, branch, tip: base, uncommitted, changesIncluded: false };
  }
  if (base !== head) {
    throw new UsageError(
      '--include-changes carries the changes on top of what is checked out, not of --from.',
      'Leave out --from, or --include-changes.',
    );
  }
  const tip = await commitUncommitted(git, base);
  return { base, branch, tip, uncommitted, changesIncluded: true };
}

type HostGit = (
  args: string[],
  input?: string,
  extraEnv?: Record<string, string>,
) => Promise<{ exitCode: number; stdout: string; stderr: string }>;

async function branchName(git: HostGit, request: { session: string; from?: string }): Promise<string> {
  if (!request.from) {
    const current = await git(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    if (current.exitCode === 0 && current.stdout.trim()) return current.stdout.trim();
  } else if ((await git(['show-ref', '--verify', '--quiet', `refs/heads/${request.from}`])).exitCode === 0) {
    return request.from;
  }
  return `session-${request.session}`;
}

/**
 * The working tree as it is, committed on top of HEAD through an index of our own: the person's
 * index, working tree and refs stay exactly as they were (the commit is referenced by nothing on
 * the host until the session's refs are written).
 */
async function commitUncommitted(git: HostGit, base: string): Promise<string> {
  const gitDir = (await git(['rev-parse', '--absolute-git-dir'])).stdout.trim();
  const index = { GIT_INDEX_FILE: `${gitDir}/claude-tui-seed-index-${process.pid}` };
  try {
    const steps: [string[], Record<string, string>][] = [
      [['read-tree', base], index],
      [['add', '-A', '--', '.'], index],
    ];
    for (const [args, extra] of steps) {
      const result = await git(args, undefined, extra);
      if (result.exitCode !== 0)
        throw new UserError(`Could not gather the uncommitted changes: ${result.stderr.trim()}`);
    }
    const tree = await git(['write-tree'], undefined, index);
    const commit = await git(
      [
        'commit-tree',
        tree.stdout.trim(),
        '-p',
        base,
        '-m',
        'Uncommitted changes on the host when the session started',
      ],
      undefined,
      await identityEnv(git),
    );
    if (commit.exitCode !== 0)
      throw new UserError(`Could not commit the uncommitted changes: ${commit.stderr.trim()}`);
    return commit.stdout.trim();
  } finally {
    const { rm } = await import('node:fs/promises');
    await rm(index.GIT_INDEX_FILE, { force: true });
  }
}

/** The host's git identity, or a stand-in when it has none (commit-tree refuses to guess). */
async function identityEnv(git: HostGit): Promise<Record<string, string>> {
  const { name, email } = await hostIdentity(git);
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: name,
    GIT_COMMITTER_EMAIL: email,
  };
}

async function hostIdentity(git: HostGit): Promise<{ name: string; email: string }> {
  const [name, email] = await Promise.all([git(['config', 'user.name']), git(['config', 'user.email'])]);
  return {
    name: name.stdout.trim() || 'claude-tui',
    email: email.stdout.trim() || 'claude-tui@localhost',
  };
}

/** Makes the clone: an empty repository, the pack streamed in, its branch, the files checked out. */
export async function seedClone(
  run: GitRunner,
  repoDir: string,
  clone: SessionClone,
  plan: SeedPlan,
): Promise<void> {
  const must = async (what: string, run: Promise<{ exitCode: number; stderr: string }>) => {
    const result = await run;
    if (result.exitCode !== 0)
      throw new UserError(`Could not make the session's clone (${what}): ${result.stderr.trim()}`);
  };
  await must('git init', clone.git(['init', '--quiet', `--initial-branch=${plan.branch}`]));
  const pack = new PassThrough();
  await Promise.all([
    run(repoDir, ['pack-objects', '--revs', '--stdout', '--quiet'], {
      stdout: pack,
      input: `${plan.tip}\n`,
    }).finally(() => pack.end()),
    must('receiving the commits', clone.git(['index-pack', '--stdin'], { stdin: pack })),
  ]);
  await must('its branch', clone.git(['update-ref', `refs/heads/${plan.branch}`, plan.tip]));
  // The agent commits as the person would (their name on the host), unless it is told otherwise.
  const { name, email } = await hostIdentity((args) => run(repoDir, args, { allowFailure: true }));
  await must('its identity', clone.git(['config', 'user.name', name]));
  await must('its identity', clone.git(['config', 'user.email', email]));
  await must('checking out', clone.git(['-c', 'checkout.workers=0', 'reset', '--quiet', '--hard']));
  // Last: the base marks a clone that was finished (a start cut short leaves none).
  await must('its base', clone.git(['update-ref', CLONE_BASE, plan.base]));
}
