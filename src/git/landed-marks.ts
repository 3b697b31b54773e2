import { Readable } from 'node:stream';
import { visibleText } from '../system/visible-text.js';
import type { GitRunner } from './git-runner.js';
import { sessionRefs, type SessionClone } from './types.js';

/** Where the clone keeps its landed marks; a count run inside the volume reads them. */
export const CLONE_LANDED = 'refs/claude-tui/landed/';
/** An older single mark: every ancestor of it counts as merged. */
export const CLONE_LEGACY_MERGED = 'refs/claude-tui/merged';

/**
 * Marks session commits as landed whole: a ref per commit in the host repository and, when the
 * clone is given, the same in the clone, so the count of its unmerged commits drops to 0 once all
 * landed. Returns what went wrong in the
 * clone, if anything: the landing stands either way.
 */
export async function markLanded(
  run: GitRunner,
  repoDir: string,
  session: string,
  shas: readonly string[],
  clone?: SessionClone,
): Promise<string[]> {
  const unique = [...new Set(shas)];
  if (unique.length === 0) return [];
  const landed = sessionRefs(session).landed;
  await run(repoDir, ['update-ref', '--stdin'], {
    input: unique.map((sha) => `update ${landed}${sha} ${sha}\n`).join(''),
  });
  if (!clone) return [];
  // One transaction in one command (a clone command may be an exec into a container); update-ref
  // runs no hook, where a push to itself would run the clone's receive hooks.
  const warnings: string[] = [];
  try {
    const result = await clone.git(['update-ref', '--stdin'], {
      stdin: Readable.from([unique.map((sha) => `update ${CLONE_LANDED}${sha} ${sha}\n`).join('')]),
    });
    if (result.exitCode !== 0)
      warnings.push(
        `Marking landed commits in the session's clone failed: ${visibleText(result.stderr.trim())}`,
      );
  } catch (error) {
    // The branch has moved already: this cannot undo the landing, only be told.
    warnings.push(`Marking landed commits in the session's clone failed: ${visibleText(String(error))}`);
  }
  return warnings;
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A POSIX sh line that puts the clone's landed marks in `$landed`, each between spaces, for a
 * `case "$landed" in *" $commit "*)` test: one git process for any number of marks.
 */
export const LANDED_SET_SCRIPT = `landed=' '; for mark in $(git for-each-ref --format='%(refname:lstrip=3)' ${CLONE_LANDED}); do landed="$landed$mark "; done`;

/**
 * A POSIX sh snippet that prints how many of the clone's commits have not landed: those of
 * `git rev-list --no-merges --all ^BASE`, less the ones with a landed mark and the ancestors of the
 * legacy merged ref. Needs only sh and git (it runs in a short-lived container); exits non-zero
 * and prints nothing when git fails (a base the clone does not have), rather than a wrong 0.
 */
export function unmergedCountScript(base: string): string {
  return [
    LANDED_SET_SCRIPT,
    `merged=$(git rev-parse -q --verify '${CLONE_LEGACY_MERGED}^{commit}') || merged=''`,
    `commits=$(git rev-list --no-merges --all ${shellQuote(`^${base}`)} \${merged:+"^$merged"}) || exit 1`,
    `count=0`,
    `for commit in $commits; do`,
    `  case "$landed" in *" $commit "*) ;; *) count=$((count + 1)) ;; esac`,
    `done`,
    `echo "$count"`,
  ].join('\n');
}
