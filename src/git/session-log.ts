import { UserError } from '../errors.js';
import { lines, type GitRunner } from './git-runner.js';
import { hostRunReason, isPackageJson, scriptsChanged } from './host-run.js';
import { LOG_FORMAT, parseLog, type RawCommit } from './parse-log.js';
import { readBlobs } from './read-blobs.js';
import { checkSessionName } from './session-name.js';
import { sessionRefs, type CommitFile, type MergeTarget, type SessionCommit } from './types.js';

export interface SessionPoints {
  base: string;
  head: string;
  /** Session commits recorded as landed (refs under sessionRefs(s).landed). */
  landed: Set<string>;
}

/** Where the session stands in the host repository, from one `for-each-ref`. */
export async function sessionPoints(
  run: GitRunner,
  repoDir: string,
  session: string,
): Promise<SessionPoints> {
  checkSessionName(session);
  const refs = sessionRefs(session);
  const { stdout } = await run(repoDir, [
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    `refs/claude-tui/sessions/${session}/`,
  ]);
  let base: string | undefined;
  let head: string | undefined;
  const landed = new Set<string>();
  for (const line of lines(stdout)) {
    const [sha = '', ref = ''] = line.split(' ');
    if (ref === refs.base) base = sha;
    else if (ref === refs.head) head = sha;
    else if (ref.startsWith(refs.landed)) landed.add(sha);
  }
  if (!base || !head) {
    throw new UserError(
      `Session ${session} has no commits brought to this repository.`,
      'Bring the session over first (its refs live under refs/claude-tui/sessions/).',
    );
  }
  return { base, head, landed };
}

/** What a target means as a commit to compare against (undefined: it has none yet). */
export function targetRevision(target: MergeTarget): string {
  return target.kind === 'branch' ? `refs/heads/${target.name}` : 'HEAD';
}

/**
 * The session's commits from its base to its head, oldest first. Merge commits are left out: their
 * changes are in the commits they join, and a merge cannot be picked. A constant number of git
 * processes whatever the number of commits (a log with raw and numstat output, one blob read for
 * package.json files, one patch-id comparison), so the merge screen can ask again freely.
 *
 * `applied` compares against the target (the checked-out branch when none is given).
 */
export async function listSessionCommits(
  run: GitRunner,
  repoDir: string,
  session: string,
  target: MergeTarget = { kind: 'current' },
): Promise<SessionCommit[]> {
  const points = await sessionPoints(run, repoDir, session);
  const [log, onTarget] = await Promise.all([
    run(repoDir, [
      'log',
      '-z',
      '--reverse',
      '--no-merges',
      '-M',
      '--raw',
      '--numstat',
      '--no-abbrev',
      '--no-ext-diff',
      '--no-textconv',
      '--no-relative',
      `--format=${LOG_FORMAT}`,
      `${points.base}..${points.head}`,
      '--',
    ]),
    commitsOnTarget(run, repoDir, points.head, targetRevision(target)),
  ]);
  const raw = parseLog(log.stdout);
  const scripts = await packageScripts(run, repoDir, raw);
  return raw.map((commit) => {
    const files: CommitFile[] = commit.files.map((file) => {
      const reason = hostRunReason(file, () => scripts(file.oldBlob, file.newBlob));
      return {
        path: file.path,
        ...(file.oldPath === undefined ? {} : { oldPath: file.oldPath }),
        status: file.status,
        added: file.added,
        removed: file.removed,
        ...(reason === undefined ? {} : { hostRun: reason }),
      };
    });
    return {
      sha: commit.sha,
      subject: commit.subject,
      message: commit.message,
      authorName: commit.authorName,
      authorEmail: commit.authorEmail,
      authorTime: commit.authorTime,
      files,
      added: files.reduce((sum, file) => sum + (file.added ?? 0), 0),
      removed: files.reduce((sum, file) => sum + (file.removed ?? 0), 0),
      hostRun: files.some((file) => file.hostRun !== undefined),
      applied: points.landed.has(commit.sha) || onTarget(commit.sha),
    };
  });
}

/**
 * Which session commits are on the target already: reachable from it, or with the same patch-id as
 * a commit on it since they parted (`git log --cherry-mark`, the comparison `git cherry` makes).
 */
async function commitsOnTarget(
  run: GitRunner,
  repoDir: string,
  head: string,
  revision: string,
): Promise<(sha: string) => boolean> {
  const result = await run(
    repoDir,
    ['log', '--no-merges', '--cherry-mark', '--right-only', '--format=%m%H', `${revision}...${head}`, '--'],
    { allowFailure: true },
  );
  // No such branch yet, or an unborn HEAD: nothing is on it.
  if (result.exitCode !== 0) return () => false;
  const notOnTarget = new Set<string>();
  const equivalent = new Set<string>();
  for (const line of lines(result.stdout)) {
    (line.startsWith('=') ? equivalent : notOnTarget).add(line.slice(1));
  }
  return (sha) => equivalent.has(sha) || !notOnTarget.has(sha);
}

/** Answers "did this package.json change its scripts" from one read of all the blobs involved. */
async function packageScripts(
  run: GitRunner,
  repoDir: string,
  commits: RawCommit[],
): Promise<(oldBlob: string, newBlob: string) => boolean> {
  const absent = (blob: string) => /^0+$/.test(blob);
  const blobs = commits
    .flatMap((commit) => commit.files.filter((file) => isPackageJson(file.path)))
    .flatMap((file) => [file.oldBlob, file.newBlob])
    .filter((blob) => !absent(blob));
  const texts = await readBlobs(run, repoDir, blobs);
  const text = (blob: string) =>
    absent(blob)
      ? { ok: true, text: undefined }
      : { ok: texts.get(blob) !== undefined, text: texts.get(blob) };
  return (oldBlob, newBlob) => {
    const before = text(oldBlob);
    const after = text(newBlob);
    if (!before.ok || !after.ok) return true;
    return scriptsChanged(before.text, after.text);
  };
}
