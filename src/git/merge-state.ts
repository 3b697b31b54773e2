import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { stateDir } from '../paths.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import type { GitRunner } from './git-runner.js';
import type { MergePick, MergeTarget, PendingMerge } from './types.js';

/** One thing to apply in the temporary worktree. */
export interface MergeStep {
  /** The commit to apply: the session commit, or after the target moved, its copy made here. */
  from: string;
  /** The session commit it stands for. */
  session: string;
  /** A file pick: the paths (renames: both) whose changes to take. */
  paths?: string[];
  /** A file pick: the files the person picked, named in the commit's trailer. */
  picked?: string[];
  /** Applying it lands its session commit whole (every file of it). */
  whole: boolean;
  /** A copy of a commit made here already (after the target moved): no trailer to add again. */
  replay?: boolean;
  subject: string;
}

/** What the merge knows between steps, and across processes while a conflict waits. */
export interface MergeState {
  session: string;
  worktree: string;
  target: MergeTarget;
  /** Short name of the branch that moves or is made. */
  branch: string;
  /** The branch is made at the end (new-branch). */
  create: boolean;
  /** The commit the worktree's work sits on: the target's tip when the picks were applied. */
  startTip: string;
  squash?: { message: string };
  dryRun: boolean;
  /** Still to apply; while a conflict waits, the first is the one that did not apply. */
  steps: MergeStep[];
  /** One entry per commit made in the worktree since startTip, in order. */
  done: { session: string; whole: boolean; subject: string }[];
  skipped: string[];
  dropped: string[];
  conflict?: {
    sha: string;
    subject: string;
    files: string[];
    /** The worktree's HEAD when it stopped (a commit the person makes there counts as the step). */
    head: string;
  };
}

const stepSchema = z.object({
  from: z.string(),
  session: z.string(),
  paths: z.array(z.string()).optional(),
  picked: z.array(z.string()).optional(),
  whole: z.boolean(),
  replay: z.boolean().optional(),
  subject: z.string(),
});

const stateSchema = z.object({
  session: z.string(),
  worktree: z.string(),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('current') }),
    z.object({ kind: z.literal('branch'), name: z.string() }),
    z.object({ kind: z.literal('new-branch'), name: z.string() }),
  ]),
  branch: z.string(),
  create: z.boolean(),
  startTip: z.string(),
  squash: z.object({ message: z.string() }).optional(),
  dryRun: z.boolean(),
  steps: z.array(stepSchema),
  done: z.array(z.object({ session: z.string(), whole: z.boolean(), subject: z.string() })),
  skipped: z.array(z.string()),
  dropped: z.array(z.string()),
  conflict: z
    .object({ sha: z.string(), subject: z.string(), files: z.array(z.string()), head: z.string() })
    .optional(),
});

export interface MergePaths {
  /** The repository's common git dir (shared by all its worktrees). */
  gitDir: string;
  /** The folder of this repository's merges, on the host only. */
  dir: string;
  /** A repository of its own where the picks are applied, borrowing the person's objects. */
  worktree: string;
  stateFile: string;
}

/**
 * Where a session's merge keeps its repository and state: in claude-tui's state folder on the host,
 * never under the project. The project's `.git` is in the workspace, which the agent can write: a
 * worktree registered there (its `.git` file, its `commondir`) or a state file there could be
 * turned to another repository, with a config that runs the agent's code or a path to wipe.
 */
export async function mergePaths(run: GitRunner, repoDir: string, session: string): Promise<MergePaths> {
  const gitDir = (await run(repoDir, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).stdout;
  const dir = join(
    stateDir(process.env),
    'merges',
    createHash('sha256').update(gitDir).digest('hex').slice(0, 16),
  );
  return {
    gitDir,
    dir,
    worktree: join(dir, `merge-${session}`),
    stateFile: join(dir, `merge-${session}.json`),
  };
}

export async function readState(paths: MergePaths): Promise<MergeState | undefined> {
  let text: string;
  try {
    text = await readFile(paths.stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return stateSchema.parse(JSON.parse(text));
}

export async function writeState(paths: MergePaths, state: MergeState): Promise<void> {
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFileAtomically(paths.stateFile, JSON.stringify(state, null, 2) + '\n', 0o600);
}

export async function removeState(paths: MergePaths): Promise<void> {
  await rm(paths.stateFile, { force: true });
}

/** The state as the merge screen sees it. */
export function toPendingMerge(state: MergeState): PendingMerge | undefined {
  if (!state.conflict) return undefined;
  const remaining: MergePick[] = state.steps
    .slice(1)
    .map((step) => (step.picked ? { sha: step.session, files: step.picked } : { sha: step.session }));
  return {
    session: state.session,
    worktree: state.worktree,
    conflict: { sha: state.conflict.sha, subject: state.conflict.subject, files: state.conflict.files },
    remaining,
    target: state.target,
    branch: state.branch,
    ...(state.squash ? { squash: state.squash } : {}),
  };
}
