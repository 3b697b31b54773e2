import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bringOver } from '../../src/git/bring-over.js';
import { folderClone } from '../../src/git/folder-clone.js';
import { createGitRunner, type GitRunner } from '../../src/git/git-runner.js';
import type { SessionClone } from '../../src/git/types.js';
import { systemProcessRunner } from '../../src/system/process.js';

/** No global or system config of whoever runs the tests, and a fixed clock-free identity. */
export const ISOLATED_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

// A merge keeps its repository and state in claude-tui's state folder: a test's own, not the home's.
process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'claude-tui-git-state-'));
const PERSON = { name: 'Pat Person', email: 'pat@example.test' };
export const AGENT = { name: 'Agent Smith', email: 'agent@example.test' };

/** The library's runner, isolated from the machine's git config. */
export const run: GitRunner = createGitRunner(systemProcessRunner, ISOLATED_ENV);

/** Plain git for setting repositories up, as a person or an agent would type it. */
export function git(dir: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, ...ISOLATED_ENV, LC_ALL: 'C', ...env },
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  }).trimEnd();
}

export interface SessionRepos {
  root: string;
  /** The person's repository. */
  host: string;
  /** The agent's clone (no remote), as it would live in the session's volume. */
  cloneDir: string;
  clone: SessionClone;
  session: string;
  /** The commit the session started from. */
  base: string;
  remove(): void;
}

/**
 * A host repository with a few files on `main` and a session clone of it, made the way the
 * Docker side makes one: a clone whose remote is then removed.
 */
export function makeRepos(files: Record<string, string> = {}): SessionRepos {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'claude-tui-git-')));
  const host = join(root, 'host');
  const cloneDir = join(root, 'clone');
  mkdirSync(host);
  git(host, ['init', '-q', '-b', 'main']);
  git(host, ['config', 'user.name', PERSON.name]);
  git(host, ['config', 'user.email', PERSON.email]);
  writeFiles(host, {
    'README.md': '# project\n',
    'src/a.txt': lines('a', 10),
    'src/b.txt': lines('b', 10),
    'package.json':
      JSON.stringify({ name: 'p', version: '1.0.0', scripts: { test: 'vitest' } }, null, 2) + '\n',
    ...files,
  });
  git(host, ['add', '-A']);
  git(host, ['commit', '-q', '-m', 'initial'], authorEnv(PERSON, 1_700_000_000));
  git(root, ['clone', '-q', host, cloneDir]);
  git(cloneDir, ['remote', 'remove', 'origin']);
  git(cloneDir, ['config', 'user.name', AGENT.name]);
  git(cloneDir, ['config', 'user.email', AGENT.email]);
  return {
    root,
    host,
    cloneDir,
    clone: folderClone(run, cloneDir),
    session: 'fix-1',
    base: git(host, ['rev-parse', 'HEAD']),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const lines = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}\n`).join('');

/** Writes files (null deletes one), making folders as needed. */
export function writeFiles(dir: string, files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      unlinkSync(full);
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

export const authorEnv = (who: { name: string; email: string }, time: number) => ({
  GIT_AUTHOR_NAME: who.name,
  GIT_AUTHOR_EMAIL: who.email,
  GIT_AUTHOR_DATE: `@${time} +0200`,
  GIT_COMMITTER_DATE: `@${time} +0200`,
});

let agentClock = 1_710_000_000;

/** A commit in the clone, as the agent makes it; returns its name. */
export function agentCommit(
  repos: SessionRepos,
  message: string,
  files: Record<string, string | null>,
  options: { executable?: string[] } = {},
): string {
  writeFiles(repos.cloneDir, files);
  for (const path of options.executable ?? []) chmodSync(join(repos.cloneDir, path), 0o755);
  git(repos.cloneDir, ['add', '-A']);
  git(repos.cloneDir, ['commit', '-q', '--allow-empty', '-m', message], authorEnv(AGENT, ++agentClock));
  return git(repos.cloneDir, ['rev-parse', 'HEAD']);
}

/** A commit on the host's checked-out branch, as the person makes it. */
export function personCommit(
  repos: SessionRepos,
  message: string,
  files: Record<string, string | null>,
): string {
  writeFiles(repos.host, files);
  git(repos.host, ['add', '-A']);
  git(repos.host, ['commit', '-q', '-m', message]);
  return git(repos.host, ['rev-parse', 'HEAD']);
}

export function bring(repos: SessionRepos) {
  return bringOver(run, repos.host, repos.session, repos.clone, repos.base);
}

/**
 * Everything of the person's that a merge must leave alone when it fails or is aborted: status,
 * HEAD and its branch, the tree, the index, the stash, untracked files, and the content of every
 * file that status names.
 */
export function snapshot(dir: string) {
  const status = git(dir, ['status', '--porcelain=v2', '--branch', '--untracked-files=all']);
  const untracked = git(dir, ['ls-files', '--others', '--exclude-standard']);
  const named = [...git(dir, ['status', '--porcelain', '--untracked-files=all']).split('\n')]
    .filter(Boolean)
    .map((line) => line.slice(3));
  return {
    status,
    head: git(dir, ['rev-parse', 'HEAD']),
    branch: git(dir, ['symbolic-ref', '-q', 'HEAD']),
    tree: git(dir, ['rev-parse', 'HEAD:']),
    index: git(dir, ['ls-files', '-s']),
    stash: git(dir, ['stash', 'list', '--format=%H %s']),
    untracked,
    contents: Object.fromEntries(named.map((path) => [path, readFileSync(join(dir, path), 'utf8')])),
    branches: git(dir, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads']),
    worktrees: git(dir, ['worktree', 'list', '--porcelain']),
  };
}

/**
 * Leaves the person's repository in the state the merge tests start from: a stash, a staged change
 * and an unstaged change in files the picks do not touch, and an untracked file.
 */
export function dirtyElsewhere(repos: SessionRepos): void {
  writeFiles(repos.host, { 'README.md': '# project\nstashed line\n' });
  git(repos.host, ['stash', '-q']);
  writeFiles(repos.host, { 'README.md': '# project\nunstaged line\n', 'notes.txt': 'untracked notes\n' });
  writeFiles(repos.host, { 'staged.txt': 'staged\n' });
  git(repos.host, ['add', 'staged.txt']);
}
