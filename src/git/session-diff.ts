import type { GitRunner } from './git-runner.js';
import { sessionPoints } from './session-log.js';

/**
 * Options for every diff we print or apply: rename detection on, and nothing of the person's diff
 * config (or a diff driver an agent's .gitattributes names) changing the text: no colour, no
 * external diff or textconv, the usual a/ b/ prefixes, paths from the top.
 */
export const DIFF_OPTIONS = [
  '-M',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

/**
 * One commit's changes against its first parent (all of it for a root commit), as unified diff
 * text; only the given files when `files` is set.
 */
export async function commitDiff(
  run: GitRunner,
  repoDir: string,
  sha: string,
  options: { files?: string[] } = {},
): Promise<string> {
  const { stdout } = await run(repoDir, [
    'diff-tree',
    '-p',
    '--root',
    '--no-commit-id',
    '--diff-merges=first-parent',
    ...DIFF_OPTIONS,
    sha,
    '--',
    ...literal(options.files),
  ]);
  return stdout;
}

/** The whole session, base to head, as one diff. */
export async function sessionDiff(run: GitRunner, repoDir: string, session: string): Promise<string> {
  const { base, head } = await sessionPoints(run, repoDir, session);
  const { stdout } = await run(repoDir, ['diff', ...DIFF_OPTIONS, base, head, '--']);
  return stdout;
}

/** Paths as pathspecs that match only themselves (a path of the agent's may hold `*` or `:`). */
export const literal = (paths: readonly string[] = []) => paths.map((path) => `:(literal)${path}`);
