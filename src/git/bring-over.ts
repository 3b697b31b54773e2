import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { ExternalCommandError, UserError } from '../errors.js';
import { lines, ZERO_OID, type GitRunner } from './git-runner.js';
import { checkSessionName } from './session-name.js';
import { sessionRefs, type CloneGitResult, type SessionClone } from './types.js';

/**
 * Brings the session's work from its clone into the host repository: a bundle of the clone's HEAD
 * and branches less what the base already has, unpacked here, and the session's refs set to match
 * the clone (head, one ref per branch, base). Forced, since the agent may rewrite its history; a
 * branch the clone no longer has is dropped. Nothing else in the host repository changes: no
 * branch, no working tree, no FETCH_HEAD (the bundle is unpacked with `git bundle unbundle`, not
 * fetched, so also a HEAD that is not ahead of the base needs no special refspec).
 *
 * `ahead`: commits from the base to the head.
 */
export async function bringOver(
  run: GitRunner,
  repoDir: string,
  session: string,
  clone: SessionClone,
  base: string,
): Promise<{ head: string; ahead: number }> {
  checkSessionName(session);
  const refs = sessionRefs(session);
  const baseSha = (
    await run(repoDir, ['rev-parse', '--verify', '-q', `${base}^{commit}`], { allowFailure: true })
  ).stdout;
  if (!baseSha) {
    throw new UserError(
      `The session's base ${base} is not in this repository.`,
      'A session starts from a commit of the host repository; was it made from another one?',
    );
  }
  const cloneRefs = parseShowRef((await cloneGit(clone, ['show-ref', '--head', '--heads'])).stdout);
  const head = cloneRefs.get('HEAD');
  if (!head) throw new UserError(`Session ${session}'s clone has no HEAD commit.`);
  const newCount = Number(
    (await cloneGit(clone, ['rev-list', '--count', 'HEAD', '--branches', `^${baseSha}`])).stdout.trim(),
  );
  if (newCount > 0) await unbundleFromClone(run, repoDir, clone, baseSha);

  const existing = lines(
    (await run(repoDir, ['for-each-ref', '--format=%(refname)', refs.heads.replace(/\/$/, '')])).stdout,
  );
  const updates = [
    `update ${refs.head} ${head}`,
    `update ${refs.base} ${baseSha}`,
    ...[...cloneRefs]
      .filter(([ref]) => ref.startsWith('refs/heads/'))
      .map(([ref, sha]) => `update ${refs.heads}${ref.slice('refs/heads/'.length)} ${sha}`),
  ];
  const kept = new Set(updates.map((line) => line.split(' ')[1]));
  const removed = existing.filter((ref) => !kept.has(ref)).map((ref) => `delete ${ref}`);
  await run(repoDir, ['update-ref', '--stdin'], {
    input: ['start', ...updates, ...removed, 'prepare', 'commit'].join('\n') + '\n',
  });
  const ahead = Number((await run(repoDir, ['rev-list', '--count', `${baseSha}..${head}`])).stdout.trim());
  return { head, ahead };
}

async function unbundleFromClone(
  run: GitRunner,
  repoDir: string,
  clone: SessionClone,
  baseSha: string,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'claude-tui-bundle-'));
  const file = join(dir, 'session.bundle');
  try {
    const out = createWriteStream(file);
    const done = finished(out);
    try {
      await cloneGit(clone, ['bundle', 'create', '-', 'HEAD', '--branches', `^${baseSha}`], { stdout: out });
    } finally {
      if (!out.writableEnded) out.end();
    }
    await done;
    await run(repoDir, ['bundle', 'unbundle', file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs git in the clone; a non-zero exit is an error here. */
async function cloneGit(
  clone: SessionClone,
  args: readonly string[],
  options?: { stdout?: NodeJS.WritableStream },
): Promise<CloneGitResult> {
  const result = await clone.git(args, options);
  if (result.exitCode !== 0) {
    throw new ExternalCommandError(
      `git ${args.join(' ')} (in the session's clone)`,
      result.exitCode,
      result.stderr,
    );
  }
  return result;
}

/** `git show-ref --head --heads` output as ref name to object name. */
function parseShowRef(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of lines(output)) {
    const space = line.indexOf(' ');
    const sha = line.slice(0, space);
    if (sha !== ZERO_OID) refs.set(line.slice(space + 1), sha);
  }
  return refs;
}
