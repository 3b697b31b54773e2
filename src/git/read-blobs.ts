import type { GitRunner } from './git-runner.js';

/**
 * The texts of some blobs, with one `git cat-file --batch`. The runner hands output over as UTF-8
 * text, and the batch gives sizes in bytes, so the text is turned back into bytes to be cut; a blob
 * that is not valid UTF-8 does not turn back into the same bytes, so from the first entry whose
 * header does not line up, the texts are left out (undefined). Callers treat a missing text as
 * "could not be read" (the package.json check counts it as a change).
 */
export async function readBlobs(
  run: GitRunner,
  repoDir: string,
  shas: readonly string[],
): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>();
  const unique = [...new Set(shas)];
  if (unique.length === 0) return texts;
  const { stdout } = await run(repoDir, ['cat-file', '--batch'], { input: unique.join('\n') + '\n' });
  const bytes = Buffer.from(stdout + '\n', 'utf8');
  let at = 0;
  for (const sha of unique) {
    const end = bytes.indexOf(0x0a, at);
    const header = end < 0 ? '' : bytes.subarray(at, end).toString('latin1');
    const match = /^([0-9a-f]+) blob (\d+)$/.exec(header);
    if (!match || match[1] !== sha) break;
    const size = Number(match[2]);
    texts.set(sha, bytes.subarray(end + 1, end + 1 + size).toString('utf8'));
    at = end + 1 + size + 1;
  }
  return texts;
}
