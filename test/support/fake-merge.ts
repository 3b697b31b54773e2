/* eslint-disable @typescript-eslint/require-await -- the fake answers at once, yet as async functions so that a throw becomes a rejection, as in the real service */
import type { CommitFile, MergeOutcome, MergeRequest, SessionCommit } from '../../src/git/types.js';
import type { MergeService } from '../../src/ui/merge/merge-service.js';

/** A commit of a session, with its files and sizes; the stat adds up from the files. */
export function fakeCommit(
  sha: string,
  subject: string,
  files: CommitFile[],
  extra: Partial<SessionCommit> = {},
): SessionCommit {
  return {
    sha: sha.padEnd(40, '0'),
    subject,
    message: `${subject}\n`,
    authorName: 'Agent',
    authorEmail: 'agent@example.com',
    authorTime: 1_780_000_000,
    files,
    added: files.reduce((n, f) => n + (f.added ?? 0), 0),
    removed: files.reduce((n, f) => n + (f.removed ?? 0), 0),
    hostRun: files.some((f) => f.hostRun),
    applied: false,
    ...extra,
  };
}

export const file = (path: string, added: number, removed: number, hostRun?: string): CommitFile => ({
  path,
  status: 'modified',
  added,
  removed,
  ...(hostRun ? { hostRun } : {}),
});

/** A diff of these files, each one hunk of `lines` added lines (named so a test can find them). */
export function fakeDiff(files: { path: string; lines: number }[]): string {
  return files
    .flatMap(({ path, lines }) => [
      `diff --git a/${path} b/${path}`,
      'index 1111111..2222222 100644',
      `--- a/${path}`,
      `+++ b/${path}`,
      `@@ -0,0 +1,${lines} @@`,
      ...Array.from({ length: lines }, (_, i) => `+${path} line ${i + 1}`),
    ])
    .join('\n');
}

/** Three commits: an ordinary one, one touching a workflow (runs on the host), one already landed. */
export function fakeSessionCommits(): SessionCommit[] {
  return [
    fakeCommit('a1b2c3d', 'Add the login form', [file('src/login.ts', 40, 2), file('src/form.ts', 12, 0)]),
    fakeCommit('e4f5a6b', 'Run the tests in CI', [
      file('README.md', 3, 1),
      file('.github/workflows/ci.yml', 20, 0, 'a GitHub workflow'),
    ]),
    fakeCommit('c7d8e9f', 'Fix a typo', [file('docs/intro.md', 1, 1)], { applied: true }),
  ];
}

export interface FakeMergeService extends MergeService {
  calls: string[];
  requests: MergeRequest[];
  /** What merge, continue and skip answer next (in order); landed on main when empty. */
  outcomes: MergeOutcome[];
}

export function createFakeMergeService(
  commits: SessionCommit[] = fakeSessionCommits(),
  diffs: Record<string, string> = {},
): FakeMergeService {
  const calls: string[] = [];
  const requests: MergeRequest[] = [];
  const outcomes: MergeOutcome[] = [];
  const next = (): MergeOutcome =>
    outcomes.shift() ?? { kind: 'landed', branch: 'main', commits: ['f00d000'], skipped: [], dryRun: false };
  return {
    calls,
    requests,
    outcomes,
    async commits() {
      calls.push('commits');
      return commits;
    },
    async diff(sha) {
      calls.push(`diff ${sha.slice(0, 7)}`);
      const commit = commits.find((c) => c.sha === sha);
      return (
        diffs[sha] ?? fakeDiff((commit?.files ?? []).map((f) => ({ path: f.path, lines: f.added ?? 0 })))
      );
    },
    async merge(request) {
      calls.push('merge');
      requests.push(request);
      return next();
    },
    async continue() {
      calls.push('continue');
      return next();
    },
    async skip() {
      calls.push('skip');
      return next();
    },
    async abort() {
      calls.push('abort');
    },
    async currentBranch() {
      return 'main';
    },
  };
}
