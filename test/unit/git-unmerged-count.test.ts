import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { unmergedCountScript } from '../../src/git/landed-marks.js';
import { mergeSession } from '../../src/git/merge.js';
import {
  agentCommit,
  bring,
  git,
  ISOLATED_ENV,
  makeRepos,
  run,
  type SessionRepos,
} from '../support/git-repos.js';

let repos: SessionRepos;
afterEach(() => repos.remove());

/** Runs the snippet with the system's sh inside the clone, as the count container does. */
function count(base: string): { stdout: string; status: number | null } {
  const result = spawnSync('/bin/sh', ['-c', unmergedCountScript(base)], {
    cwd: repos.cloneDir,
    env: { PATH: process.env.PATH, HOME: repos.root, ...ISOLATED_ENV },
    encoding: 'utf8',
  });
  return { stdout: result.stdout.trim(), status: result.status };
}

async function threeCommits(): Promise<string[]> {
  const shas = [
    agentCommit(repos, 'one', { 'one.txt': '1\n' }),
    agentCommit(repos, 'two', { 'two.txt': '2\n' }),
    agentCommit(repos, 'three', { 'three.txt': '3\n' }),
  ];
  await bring(repos);
  return shas;
}

describe('unmergedCountScript', () => {
  it('counts 0 in the clone once every commit landed, marked there by the merge', async () => {
    repos = makeRepos();
    const shas = await threeCommits();
    expect(count(repos.base)).toEqual({ stdout: '3', status: 0 });
    await mergeSession(
      run,
      repos.host,
      { session: repos.session, picks: shas.map((sha) => ({ sha })), target: { kind: 'current' } },
      repos.clone,
    );
    expect(
      git(repos.cloneDir, ['for-each-ref', '--format=%(refname)', 'refs/claude-tui/landed/']).split('\n'),
    ).toEqual(shas.map((sha) => `refs/claude-tui/landed/${sha}`).sort());
    expect(count(repos.base)).toEqual({ stdout: '0', status: 0 });
  });

  it('counts what is left after a partial landing, and work on other branches', async () => {
    repos = makeRepos();
    const shas = await threeCommits();
    await mergeSession(
      run,
      repos.host,
      { session: repos.session, picks: [{ sha: shas[0]! }], target: { kind: 'current' } },
      repos.clone,
    );
    expect(count(repos.base)).toEqual({ stdout: '2', status: 0 });
    // A commit on another branch of the clone counts as unmerged work too.
    git(repos.cloneDir, ['checkout', '-q', '-b', 'other', repos.base]);
    agentCommit(repos, 'other', { 'other.txt': 'o\n' });
    expect(count(repos.base)).toEqual({ stdout: '3', status: 0 });
  });

  it('honours the legacy merged ref: its ancestors count as merged', async () => {
    repos = makeRepos();
    const shas = await threeCommits();
    git(repos.cloneDir, ['update-ref', 'refs/claude-tui/merged', shas[1]!]);
    expect(count(repos.base)).toEqual({ stdout: '1', status: 0 });
  });

  it('fails, printing nothing, when the clone does not have the base', async () => {
    repos = makeRepos();
    await threeCommits();
    const result = count('f'.repeat(40));
    expect(result.stdout).toBe('');
    expect(result.status).not.toBe(0);
  });

  it('quotes the base it is given', () => {
    expect(unmergedCountScript("x'; rm -rf /; '")).toContain(`'^x'\\''; rm -rf /; '\\'''`);
  });
});
