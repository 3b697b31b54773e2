/**
 * Git sessions, as the host side sees them: the commits an agent made in its clone (brought to the
 * host repository under refs/claude-tui/sessions/NAME/), what they touch, and how picked ones land
 * on a branch. The merge screen, `log`, `diff` and `merge` all speak these types.
 */

/** Where a session's refs live in the host repository. */
export const sessionRefs = (session: string) => ({
  /** The session's HEAD as last brought over. */
  head: `refs/claude-tui/sessions/${session}/head`,
  /** The commit the session started from. */
  base: `refs/claude-tui/sessions/${session}/base`,
  /** The clone's branches, as last brought over (nothing the agent made is dropped). */
  heads: `refs/claude-tui/sessions/${session}/heads/`,
  /** One ref per session commit that landed whole (picked, squashed, or found on a target). */
  landed: `refs/claude-tui/sessions/${session}/landed/`,
});

export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'type-changed';

export interface CommitFile {
  path: string;
  /** Renames only. */
  oldPath?: string;
  status: FileStatus;
  /** Null for a binary file. */
  added: number | null;
  removed: number | null;
  /** Why this file runs on the host later (a workflow, a hook, package.json scripts, exec bit). */
  hostRun?: string;
}

/** One commit of a session's work since its base, oldest first in every list. */
export interface SessionCommit {
  sha: string;
  subject: string;
  /** The whole message. */
  message: string;
  authorName: string;
  authorEmail: string;
  /** Seconds since the epoch. */
  authorTime: number;
  files: CommitFile[];
  added: number;
  removed: number;
  /** True when some file runs on the host later: picking it needs a second yes. */
  hostRun: boolean;
  /**
   * Already on the target: recorded as landed, or a commit with the same patch-id is on it since
   * the base. Skipped by a merge.
   */
  applied: boolean;
}

/** What lands where. */
export type MergeTarget =
  /** The branch checked out in the repository's main worktree, moved by a fast-forward. */
  | { kind: 'current' }
  /** An existing branch (moved by a fast-forward; when it is checked out, as `current`). */
  | { kind: 'branch'; name: string }
  /** A new branch made from where the current branch is now. */
  | { kind: 'new-branch'; name: string };

export interface MergePick {
  sha: string;
  /** Only these files of the commit (paths as in CommitFile.path); all when absent. */
  files?: string[];
}

export interface MergeRequest {
  session: string;
  /** Oldest first. Commits already applied are skipped (and said so). */
  picks: MergePick[];
  /** One commit with this message instead of one per pick. */
  squash?: { message: string };
  target: MergeTarget;
  /** Work out and check everything, change nothing. */
  dryRun?: boolean;
}

export type MergeOutcome =
  | {
      kind: 'landed';
      /** The branch that moved or was made. */
      branch: string;
      /** The new commits on it, oldest first. */
      commits: string[];
      /** Session commits skipped because they were already on the target. */
      skipped: string[];
      /** Session commits left out on the person's word (skipConflict), or resolved to no change. */
      dropped?: string[];
      /** What went wrong after landing (marking the commits landed in the clone). */
      warnings?: string[];
      dryRun: boolean;
    }
  | {
      kind: 'conflict';
      /** The session commit that did not apply. */
      sha: string;
      subject: string;
      /** Files with conflicts. */
      files: string[];
      /** Where to resolve them: the temporary worktree the picks are applied in. */
      worktree: string;
    };

/**
 * A session's clone, wherever it lives: in a Docker volume behind an exec (so it works the same on
 * a remote Engine), or in a plain folder in tests. Only git runs there; all logic stays on the host.
 */
export interface SessionClone {
  /**
   * Runs `git ARGS` in the clone. Output goes to `stdout` when given (a bundle, streamed), else it
   * is collected and returned; `stdin`, when given, is streamed to it (a pack).
   */
  git(
    args: readonly string[],
    options?: { stdout?: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream },
  ): Promise<CloneGitResult>;
}

export interface CloneGitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * A merge stopped at a conflict, waiting for the person: resolve and stage in `worktree`, then
 * continue, skip that commit, or abort. Kept in the repository's git dir, so any process sees it.
 */
export interface PendingMerge {
  session: string;
  /** The temporary worktree the picks are applied in. */
  worktree: string;
  /** The session commit that did not apply, and its files with conflicts. */
  conflict: { sha: string; subject: string; files: string[] };
  /** Picks still to apply after the conflicting one, oldest first. */
  remaining: MergePick[];
  target: MergeTarget;
  /** The branch that moves (or is made) at the end: a short name, such as `main`. */
  branch: string;
  squash?: { message: string };
}
