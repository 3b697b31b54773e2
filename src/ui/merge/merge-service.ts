import { UserError } from '../../errors.js';
import type { MergeOutcome, MergeRequest, SessionCommit } from '../../git/types.js';

/**
 * What the merge screen needs of git, for one session of one project. The real one wraps the
 * functions of src/git (listSessionCommits, commitDiff, mergeSession, continueMerge, skipConflict,
 * abortMerge); screen tests pass a fake.
 */
export interface MergeService {
  /** Brings the session's commits over and lists them (oldest first). */
  commits(): Promise<SessionCommit[]>;
  /** Unified diff text of one commit. */
  diff(sha: string): Promise<string>;
  merge(request: MergeRequest): Promise<MergeOutcome>;
  /** After the person resolved a conflict in the worktree: goes on with the picks left. */
  continue(): Promise<MergeOutcome>;
  /** Leaves out the commit that did not apply and goes on. */
  skip(): Promise<MergeOutcome>;
  /** Stops the merge; nothing lands. */
  abort(): Promise<void>;
  /** The branch checked out on the host (for the target line); null when detached. */
  currentBranch(): Promise<string | null>;
}

/** Makes the service for one session; may throw a UserError saying why there is none. */
export type MergeServiceFactory = (projectDir: string, session: string) => MergeService;

/** Runs a shell in `dir` on the terminal the dashboard gave up; resolves when it exits. */
export type OpenShell = (dir: string) => Promise<void>;

const NOT_AVAILABLE = 'Merging git sessions is not available in this build yet.';

/** Until the git library is wired in: says so, instead of a screen that cannot do anything. */
export const unavailableMergeService: MergeServiceFactory = () => {
  throw new UserError(NOT_AVAILABLE, 'Bring the commits over with git in the session for now.');
};

export const unavailableShell: OpenShell = () =>
  Promise.reject(new UserError('Opening a shell from the dashboard is not available in this build yet.'));
