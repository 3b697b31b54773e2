import type { ProcessRunner, RunResult } from '../system/process.js';

export interface GitOptions {
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  input?: string;
  /** Stream stdout here (a bundle) instead of collecting it; the caller ends the stream. */
  stdout?: NodeJS.WritableStream;
  /** Added to the environment (a commit's author, a test's isolated config). */
  env?: Record<string, string>;
}

/** Runs `git ARGS` in DIR. Throws ExternalCommandError on a non-zero exit unless allowFailure. */
export type GitRunner = (dir: string, args: readonly string[], options?: GitOptions) => Promise<RunResult>;

/**
 * Options every command gets. Hooks are off for all of them, not only the ones that commit or
 * check out: the session's commits may bring a `.husky/` or a hooks folder that a `core.hooksPath`
 * of the person's points at, and nothing of the agent's may run on the host while we apply it.
 * No pager, no colour, no terminal prompt, no editor, and messages in English (we read a few of
 * them). Commands that print diffs add --no-ext-diff --no-textconv themselves.
 */
const SAFE_ARGS = [
  '--no-pager',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'color.ui=false',
  '-c',
  'advice.detachedHead=false',
  // The project's git dir is in the workspace: no program it could name runs, and nothing is
  // signed with the person's key on the agent's behalf.
  '-c',
  'core.fsmonitor=false',
  '-c',
  'commit.gpgSign=false',
];

/**
 * Variables that would make git act on another repository, index or object store than the one in
 * DIR (set when we are run from a hook or an editor that git started).
 */
const LOCATION_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_EXTERNAL_DIFF',
  'GIT_SEQUENCE_EDITOR',
];

/**
 * The host's git, through the one process wrapper. `baseEnv` is added to every command (tests
 * isolate themselves from the person's global config with it).
 */
export function createGitRunner(processes: ProcessRunner, baseEnv: Record<string, string> = {}): GitRunner {
  const cleared = Object.fromEntries(LOCATION_VARIABLES.map((name) => [name, undefined]));
  return (dir, args, options = {}) =>
    processes.run('git', [...SAFE_ARGS, ...args], {
      cwd: dir,
      env: {
        ...process.env,
        ...cleared,
        LC_ALL: 'C',
        LANGUAGE: 'C',
        GIT_TERMINAL_PROMPT: '0',
        GIT_PAGER: 'cat',
        GIT_EDITOR: 'true',
        GIT_OPTIONAL_LOCKS: '0',
        // An agent's .gitattributes and .lfsconfig must not send the person's git-lfs to a server
        // of its choosing from the host.
        GIT_LFS_SKIP_SMUDGE: '1',
        ...baseEnv,
        ...options.env,
      },
      input: options.input,
      stdout: options.stdout,
      allowFailure: options.allowFailure,
    });
}

/** Lines of a command's output, without empty ones. */
export const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

/** The all-zero object name git uses for "must not exist" in update-ref. */
export const ZERO_OID = '0'.repeat(40);
