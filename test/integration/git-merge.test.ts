import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { abortMerge, continueMerge, mergeSession, pendingMerge, skipConflict } from '../../src/git/merge.js';
import { listSessionCommits } from '../../src/git/session-log.js';
import type { MergeOutcome, SessionCommit } from '../../src/git/types.js';
import {
  AGENT,
  agentCommit,
  bring,
  dirtyElsewhere,
  git,
  lines,
  makeRepos,
  personCommit,
  run,
  snapshot,
  writeFiles,
  type SessionRepos,
} from '../support/git-repos.js';

let repos: SessionRepos;
afterEach(() => repos.remove());

/** Five commits, each changing one file of its own. */
async function fiveCommits(): Promise<string[]> {
  const shas = [
    agentCommit(repos, 'one', { 'one.txt': '1\n' }),
    agentCommit(repos, 'two', { 'two.txt': '2\n' }),
    agentCommit(repos, 'three', { 'three.txt': '3\n' }),
    agentCommit(repos, 'four', { 'four.txt': '4\n' }),
    agentCommit(repos, 'five', { 'five.txt': '5\n' }),
  ];
  await bring(repos);
  return shas;
}

const log = (dir: string, range: string) =>
  git(dir, ['log', '--reverse', '--format=%s|%an|%at', range]).split('\n');

/**
 * After a landing, only what the fast-forward brought may differ: the person's stash, untracked
 * files, dirty files and the index entries of other files are as before.
 */
function expectOnlyLandedChanged(before: ReturnType<typeof snapshot>, broughtPaths: string[]) {
  const after = snapshot(repos.host);
  const others = (index: string) =>
    index.split('\n').filter((line) => !broughtPaths.some((path) => line.endsWith(`\t${path}`)));
  expect(after.branch).toBe(before.branch);
  expect(after.stash).toBe(before.stash);
  expect(after.untracked).toBe(before.untracked);
  expect(after.contents).toEqual(before.contents);
  expect(others(after.index)).toEqual(others(before.index));
  const paths = (list: string) => list.split('\n').filter((line) => line.startsWith('worktree '));
  expect(paths(after.worktrees)).toEqual(paths(before.worktrees));
}

function landed(outcome: MergeOutcome) {
  if (outcome.kind !== 'landed') throw new Error(`expected landed, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function conflicted(outcome: MergeOutcome) {
  if (outcome.kind !== 'conflict') throw new Error(`expected a conflict, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** The agent and the person both change line 2 of src/a.txt; the agent's second commit is clean. */
async function conflictingSession(): Promise<{ clash: string; clean: string; first: string }> {
  const first = agentCommit(repos, 'agent first', { 'first.txt': 'first\n' });
  const clash = agentCommit(repos, 'agent clash', {
    'src/a.txt': lines('a', 10).replace('a2\n', 'agent2\n'),
  });
  const clean = agentCommit(repos, 'agent clean', { 'clean.txt': 'clean\n' });
  await bring(repos);
  personCommit(repos, 'person clash', { 'src/a.txt': lines('a', 10).replace('a2\n', 'person2\n') });
  return { clash, clean, first };
}

describe('mergeSession', () => {
  it('lands 2 of 5 commits on the current branch, keeping author, date and message', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    dirtyElsewhere(repos);
    const before = git(repos.host, ['rev-parse', 'HEAD']);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: shas[1]! }, { sha: shas[3]!.slice(0, 10) }],
        target: { kind: 'current' },
      }),
    );
    expect(outcome.branch).toBe('main');
    expect(outcome.commits).toHaveLength(2);
    expect(git(repos.host, ['rev-parse', 'HEAD'])).toBe(outcome.commits[1]);
    expect(log(repos.host, `${before}..HEAD`)).toEqual([
      `two|${AGENT.name}|${git(repos.cloneDir, ['log', '-1', '--format=%at', shas[1]!])}`,
      `four|${AGENT.name}|${git(repos.cloneDir, ['log', '-1', '--format=%at', shas[3]!])}`,
    ]);
    expect(existsSync(join(repos.host, 'two.txt'))).toBe(true);
    expect(existsSync(join(repos.host, 'one.txt'))).toBe(false);
    // The person's other changes stayed where they were.
    expect(readFileSync(join(repos.host, 'README.md'), 'utf8')).toBe('# project\nunstaged line\n');
    expect(git(repos.host, ['diff', '--cached', '--name-only'])).toBe('staged.txt');
    expect(git(repos.host, ['stash', 'list'])).toContain('stash@{0}');
    expect(existsSync(join(repos.host, 'notes.txt'))).toBe(true);
    // No worktree or state is left behind.
    expect(git(repos.host, ['worktree', 'list']).split('\n')).toHaveLength(1);
    expect(await pendingMerge(run, repos.host, repos.session)).toBeUndefined();
  });

  it('takes only the picked files of a commit, with a trailer naming them', async () => {
    repos = makeRepos();
    const sha = agentCommit(repos, 'two files\n\nThe body.', {
      'src/a.txt': 'changed a\n',
      'src/b.txt': 'changed b\n',
    });
    await bring(repos);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha, files: ['src/b.txt'] }],
        target: { kind: 'current' },
      }),
    );
    expect(outcome.commits).toHaveLength(1);
    expect(readFileSync(join(repos.host, 'src/b.txt'), 'utf8')).toBe('changed b\n');
    expect(readFileSync(join(repos.host, 'src/a.txt'), 'utf8')).toBe(lines('a', 10));
    expect(git(repos.host, ['log', '-1', '--format=%B'])).toBe(
      'two files\n\nThe body.\n\nPicked-files: src/b.txt',
    );
    expect(git(repos.host, ['log', '-1', '--format=%an %at'])).toBe(
      git(repos.cloneDir, ['log', '-1', '--format=%an %at', sha]),
    );
    // Not landed whole: no mark, and the commit is still offered.
    expect(git(repos.host, ['for-each-ref', 'refs/claude-tui/sessions/fix-1/landed/'])).toBe('');
    const [commit] = await listSessionCommits(run, repos.host, repos.session);
    expect(commit?.applied).toBe(false);
  });

  it('squashes the picks into one commit by the host identity, and marks them landed', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: shas.slice(0, 3).map((sha) => ({ sha })),
        squash: { message: 'One, two and three' },
        target: { kind: 'current' },
      }),
    );
    expect(outcome.commits).toHaveLength(1);
    expect(git(repos.host, ['log', '-1', '--format=%s|%an|%P'])).toBe(
      `One, two and three|Pat Person|${repos.base}`,
    );
    expect(git(repos.host, ['show', '--format=', '--name-only', 'HEAD']).split('\n').sort()).toEqual([
      'one.txt',
      'three.txt',
      'two.txt',
    ]);
    const commits = await listSessionCommits(run, repos.host, repos.session);
    expect(commits.map((c) => c.applied)).toEqual([true, true, true, false, false]);
  });

  it('makes a new branch from where the current branch is, and refuses one that exists', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    const before = snapshot(repos.host);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: shas[0]! }],
        target: { kind: 'new-branch', name: 'agent/one' },
      }),
    );
    expect(git(repos.host, ['rev-parse', 'agent/one'])).toBe(outcome.commits[0]);
    expect(git(repos.host, ['rev-parse', 'agent/one~1'])).toBe(repos.base);
    expect(snapshot(repos.host).head).toBe(before.head);
    expect(snapshot(repos.host).status).toBe(before.status);
    await expect(
      mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: shas[1]! }],
        target: { kind: 'new-branch', name: 'agent/one' },
      }),
    ).rejects.toThrow(/exists already/);
  });

  it('moves a branch that is not checked out with a compare-and-swap, leaving the worktree alone', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    git(repos.host, ['branch', 'side']);
    dirtyElsewhere(repos);
    const before = snapshot(repos.host);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: shas[4]! }],
        target: { kind: 'branch', name: 'side' },
      }),
    );
    expect(git(repos.host, ['rev-parse', 'side'])).toBe(outcome.commits[0]);
    const after = snapshot(repos.host);
    expect({ ...after, branches: '' }).toEqual({ ...before, branches: '' });
  });

  it('refuses a branch checked out in another worktree, and a detached HEAD for the current branch', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    git(repos.host, ['worktree', 'add', '-q', '-b', 'elsewhere', join(repos.root, 'other')]);
    await expect(
      mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: shas[0]! }],
        target: { kind: 'branch', name: 'elsewhere' },
      }),
    ).rejects.toThrow(/checked out in another worktree/);
    git(repos.host, ['checkout', '-q', '--detach']);
    const error = await mergeSession(run, repos.host, {
      session: repos.session,
      picks: [{ sha: shas[0]! }],
      target: { kind: 'current' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toMatch(/--branch/);
  });

  it('refuses when a touched file is dirty, naming it, and changes nothing', async () => {
    repos = makeRepos();
    const sha = agentCommit(repos, 'edit a', { 'src/a.txt': 'agent a\n' });
    const adds = agentCommit(repos, 'add c', { 'src/c.txt': 'agent c\n' });
    await bring(repos);
    dirtyElsewhere(repos);
    writeFiles(repos.host, { 'src/a.txt': 'my unsaved a\n' });
    const before = snapshot(repos.host);
    await expect(
      mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha }],
        target: { kind: 'current' },
      }),
    ).rejects.toThrow(/src\/a\.txt/);
    expect(snapshot(repos.host)).toEqual(before);
    // An untracked file in the way counts too, and so does an ignored one.
    writeFiles(repos.host, { 'src/c.txt': 'mine\n', '.gitignore': 'src/c.txt\n' });
    await expect(
      mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: adds }],
        target: { kind: 'current' },
      }),
    ).rejects.toThrow(/src\/c\.txt/);
    expect(readFileSync(join(repos.host, 'src/c.txt'), 'utf8')).toBe('mine\n');
  });

  it('checks everything in a dry run and changes nothing', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    dirtyElsewhere(repos);
    const before = snapshot(repos.host);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: shas.map((sha) => ({ sha })),
        target: { kind: 'current' },
        dryRun: true,
      }),
    );
    expect(outcome).toMatchObject({ dryRun: true, skipped: [] });
    expect(outcome.commits).toHaveLength(5);
    expect(snapshot(repos.host)).toEqual(before);
    expect(git(repos.host, ['for-each-ref', 'refs/claude-tui/sessions/fix-1/landed/'])).toBe('');
  });
});

/**
 * A merge of the first, clashing and clean commits onto the current branch, stopped at the clash,
 * with the person's other work (a stash, dirty and untracked files) present and snapshotted.
 */
async function stoppedAtClash() {
  repos = makeRepos();
  const commits = await conflictingSession();
  dirtyElsewhere(repos);
  const before = snapshot(repos.host);
  const outcome = conflicted(
    await mergeSession(run, repos.host, {
      session: repos.session,
      picks: [{ sha: commits.first }, { sha: commits.clash }, { sha: commits.clean }],
      target: { kind: 'current' },
    }),
  );
  return { ...commits, before, outcome };
}

describe('a conflict', () => {
  it('waits for the person, refuses unresolved files, then continues and lands the rest', async () => {
    const { clash, clean, first, before, outcome } = await stoppedAtClash();
    expect(outcome).toMatchObject({ sha: clash, subject: 'agent clash', files: ['src/a.txt'] });
    expect(await pendingMerge(run, repos.host, repos.session)).toMatchObject({
      session: repos.session,
      worktree: outcome.worktree,
      conflict: { sha: clash, files: ['src/a.txt'] },
      remaining: [{ sha: clean }],
      target: { kind: 'current' },
      branch: 'main',
    });
    await expect(
      mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: first }],
        target: { kind: 'current' },
      }),
    ).rejects.toThrow(/waiting at a conflict/);
    await expect(continueMerge(run, repos.host, repos.session)).rejects.toThrow(
      /still have conflicts: src\/a\.txt/,
    );
    // Staged with the markers still in: refused too.
    git(outcome.worktree, ['add', 'src/a.txt']);
    await expect(continueMerge(run, repos.host, repos.session)).rejects.toThrow(
      /conflict markers: src\/a\.txt/,
    );
    writeFiles(outcome.worktree, { 'src/a.txt': lines('a', 10).replace('a2\n', 'both2\n') });
    git(outcome.worktree, ['add', 'src/a.txt']);
    const done = landed(await continueMerge(run, repos.host, repos.session));
    expect(done.commits).toHaveLength(3);
    expect(log(repos.host, 'HEAD~3..HEAD').map((line) => line.split('|')[0])).toEqual([
      'agent first',
      'agent clash',
      'agent clean',
    ]);
    expect(readFileSync(join(repos.host, 'src/a.txt'), 'utf8')).toContain('both2');
    expect(existsSync(outcome.worktree)).toBe(false);
    expect(await pendingMerge(run, repos.host, repos.session)).toBeUndefined();
    expectOnlyLandedChanged(before, ['first.txt', 'src/a.txt', 'clean.txt']);
  });

  it('skips the conflicting commit and lands the rest', async () => {
    repos = makeRepos();
    const { clash, clean, first } = await conflictingSession();
    dirtyElsewhere(repos);
    const before = snapshot(repos.host);
    conflicted(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: first }, { sha: clash }, { sha: clean }],
        target: { kind: 'current' },
      }),
    );
    const done = landed(await skipConflict(run, repos.host, repos.session));
    expect(done.dropped).toEqual([clash]);
    expect(log(repos.host, 'HEAD~2..HEAD').map((line) => line.split('|')[0])).toEqual([
      'agent first',
      'agent clean',
    ]);
    expect(readFileSync(join(repos.host, 'src/a.txt'), 'utf8')).toContain('person2');
    expectOnlyLandedChanged(before, ['first.txt', 'clean.txt']);
  });

  it('aborts with the person’s repository exactly as before, also from a new process', async () => {
    const { before, outcome } = await stoppedAtClash();
    // Nothing of the merge is in the person's repository while it waits: not even a worktree.
    expect(snapshot(repos.host)).toEqual(before);
    // ... and nothing of it in the project, where the agent could write: no state, no worktree.
    expect(outcome.worktree.startsWith(repos.host)).toBe(false);
    expect(existsSync(join(repos.host, '.git', 'claude-tui'))).toBe(false);
    expect(existsSync(join(repos.host, '.git', 'worktrees'))).toBe(false);
    // A fresh runner stands for another process: everything it needs is on disk.
    const { createGitRunner } = await import('../../src/git/git-runner.js');
    const { systemProcessRunner } = await import('../../src/system/process.js');
    const other = createGitRunner(systemProcessRunner, {
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    });
    expect(await pendingMerge(other, repos.host, repos.session)).toBeDefined();
    await abortMerge(other, repos.host, repos.session);
    expect(snapshot(repos.host)).toEqual(before);
    expect(existsSync(outcome.worktree)).toBe(false);
    expect(await pendingMerge(run, repos.host, repos.session)).toBeUndefined();
  });

  it('never counts a pick git refused as landed: a file left in the way stops the merge, nothing marked', async () => {
    repos = makeRepos();
    const { clash, first, clean } = await conflictingSession();
    const before = snapshot(repos.host);
    const outcome = conflicted(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: first }, { sha: clash }, { sha: clean }],
        target: { kind: 'current' },
      }),
    );
    // The person resolves, and leaves a file of their own where the next pick adds one.
    writeFiles(outcome.worktree, { 'src/a.txt': lines('a', 10), 'clean.txt': 'notes of mine\n' });
    git(outcome.worktree, ['add', 'src/a.txt']);
    await expect(continueMerge(run, repos.host, repos.session)).rejects.toThrow(/cherry-pick/);
    expect(
      git(repos.host, ['for-each-ref', `refs/claude-tui/sessions/${repos.session}/landed/${clean}`]),
    ).toBe('');
    // The merge waits: with the file out of the way it goes on, and only then is the commit landed.
    rmSync(join(outcome.worktree, 'clean.txt'));
    const done = landed(await continueMerge(run, repos.host, repos.session));
    expect(done.commits).toHaveLength(3);
    expect(
      git(repos.host, [
        'for-each-ref',
        '--format=%(refname)',
        `refs/claude-tui/sessions/${repos.session}/landed/${clean}`,
      ]),
    ).not.toBe('');
    expect(before.head).not.toBe(snapshot(repos.host).head);
  });

  it('keeps the person’s repository as it was while the conflict waits and after continue and skip', async () => {
    repos = makeRepos();
    const { clash, first } = await conflictingSession();
    dirtyElsewhere(repos);
    const before = snapshot(repos.host);
    const outcome = conflicted(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: first }, { sha: clash }],
        target: { kind: 'branch', name: 'main' },
      }),
    );
    const { worktrees: _w, ...waiting } = snapshot(repos.host);
    const { worktrees: _b, ...expected } = before;
    expect(waiting).toEqual(expected);
    // No cherry-pick of ours shows in the person's worktree.
    expect(existsSync(join(repos.host, '.git', 'CHERRY_PICK_HEAD'))).toBe(false);
    expect(existsSync(join(repos.host, '.git', 'sequencer'))).toBe(false);
    expect(readdirSync(outcome.worktree)).toContain('first.txt');
    const done = landed(await skipConflict(run, repos.host, repos.session));
    expect(done.commits).toHaveLength(1);
    expectOnlyLandedChanged(before, ['first.txt']);
  });

  it('puts the picks on top of the branch when it moved while the conflict waited', async () => {
    repos = makeRepos();
    const { clash, clean, first } = await conflictingSession();
    const outcome = conflicted(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha: first }, { sha: clash }, { sha: clean }],
        target: { kind: 'current' },
      }),
    );
    const moved = personCommit(repos, 'person meanwhile', { 'meanwhile.txt': 'meanwhile\n' });
    writeFiles(outcome.worktree, { 'src/a.txt': lines('a', 10).replace('a2\n', 'both2\n') });
    git(outcome.worktree, ['add', 'src/a.txt']);
    const done = landed(await continueMerge(run, repos.host, repos.session));
    expect(git(repos.host, ['rev-parse', 'HEAD~3'])).toBe(moved);
    expect(done.commits).toHaveLength(3);
    expect(git(repos.host, ['rev-parse', 'HEAD'])).toBe(done.commits[2]);
    expect(existsSync(join(repos.host, 'meanwhile.txt'))).toBe(true);
    expect(readFileSync(join(repos.host, 'src/a.txt'), 'utf8')).toContain('both2');
  });
});

describe('commits already on the target', () => {
  it('are skipped when a commit with the same patch is there (a manual cherry-pick)', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    git(repos.host, ['cherry-pick', '--allow-empty', shas[1]!]);
    const commits: SessionCommit[] = await listSessionCommits(run, repos.host, repos.session);
    expect(commits.map((c) => c.applied)).toEqual([false, true, false, false, false]);
    const outcome = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: shas.slice(0, 3).map((sha) => ({ sha })),
        target: { kind: 'current' },
      }),
    );
    expect(outcome.skipped).toEqual([shas[1]]);
    expect(outcome.commits).toHaveLength(2);
  });

  it('are skipped by their landed mark after a squash', async () => {
    repos = makeRepos();
    const shas = await fiveCommits();
    landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: shas.slice(0, 2).map((sha) => ({ sha })),
        squash: { message: 'squashed' },
        target: { kind: 'current' },
      }),
    );
    const again = landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: shas.map((sha) => ({ sha })),
        target: { kind: 'current' },
      }),
    );
    expect(again.skipped).toEqual(shas.slice(0, 2));
    expect(again.commits).toHaveLength(3);
  });
});

describe('hooks', () => {
  it('of the agent’s commits never run while a merge applies and lands them', async () => {
    repos = makeRepos();
    const marker = join(repos.root, 'hook-ran');
    const hook = `#!/bin/sh\necho "$0" >> '${marker}'\n`;
    const hooks = ['pre-commit', 'commit-msg', 'post-commit', 'post-checkout', 'post-merge', 'post-rewrite'];
    const sha = agentCommit(
      repos,
      'add hooks',
      Object.fromEntries(hooks.map((name) => [`.husky/${name}`, hook])),
      { executable: hooks.map((name) => `.husky/${name}`) },
    );
    const conflictFree = agentCommit(repos, 'after hooks', { 'after.txt': 'after\n' });
    await bring(repos);
    // The person's repository uses husky: hooks come from the folder the agent just changed.
    git(repos.host, ['config', 'core.hooksPath', '.husky']);
    landed(
      await mergeSession(run, repos.host, {
        session: repos.session,
        picks: [{ sha }, { sha: conflictFree }],
        target: { kind: 'current' },
      }),
    );
    expect(existsSync(join(repos.host, '.husky/pre-commit'))).toBe(true);
    expect(existsSync(marker)).toBe(false);
    // The hooks were live: the person's own next commit runs them.
    personCommit(repos, 'person commit', { 'later.txt': 'later\n' });
    expect(existsSync(marker)).toBe(true);
  });
});
