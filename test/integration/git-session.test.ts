import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bringOver } from '../../src/git/bring-over.js';
import type { GitRunner } from '../../src/git/git-runner.js';
import { commitDiff, sessionDiff } from '../../src/git/session-diff.js';
import { listSessionCommits } from '../../src/git/session-log.js';
import { sessionRefs } from '../../src/git/types.js';
import {
  agentCommit,
  bring,
  git,
  makeRepos,
  run,
  snapshot,
  type SessionRepos,
} from '../support/git-repos.js';

let repos: SessionRepos;
afterEach(() => repos.remove());

const refs = () => git(repos.host, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/claude-tui/']);

describe('bringOver', () => {
  it('brings the clone’s head and branches under the session’s refs, and changes nothing else', async () => {
    repos = makeRepos();
    const before = snapshot(repos.host);
    agentCommit(repos, 'one', { 'one.txt': '1\n' });
    git(repos.cloneDir, ['branch', 'experiment']);
    const head = agentCommit(repos, 'two', { 'two.txt': '2\n' });
    const result = await bring(repos);
    expect(result).toEqual({ head, ahead: 2 });
    const r = sessionRefs(repos.session);
    expect(refs().split('\n').sort()).toEqual(
      [
        `${r.base} ${repos.base}`,
        `${r.head} ${head}`,
        `${r.heads}experiment ${git(repos.cloneDir, ['rev-parse', 'experiment'])}`,
        `${r.heads}main ${head}`,
      ].sort(),
    );
    expect(snapshot(repos.host)).toEqual(before);
    expect(existsSync(join(repos.host, '.git', 'FETCH_HEAD'))).toBe(false);
  });

  it('forces the refs when the agent rewrote its history, and drops a deleted branch', async () => {
    repos = makeRepos();
    agentCommit(repos, 'one', { 'one.txt': '1\n' });
    git(repos.cloneDir, ['branch', 'gone']);
    await bring(repos);
    git(repos.cloneDir, ['branch', '-D', 'gone']);
    git(repos.cloneDir, ['reset', '-q', '--hard', repos.base]);
    const rewritten = agentCommit(repos, 'one again', { 'one.txt': 'one\n' });
    expect(await bring(repos)).toEqual({ head: rewritten, ahead: 1 });
    expect(refs()).not.toContain('/heads/gone');
    expect(git(repos.host, ['rev-parse', sessionRefs(repos.session).head])).toBe(rewritten);
  });

  it('handles a head equal to or behind the base without error', async () => {
    repos = makeRepos();
    expect(await bring(repos)).toEqual({ head: repos.base, ahead: 0 });
    // The agent went back past its base.
    git(repos.cloneDir, ['commit', '-q', '--allow-empty', '-m', 'older']);
    const older = git(repos.cloneDir, ['rev-parse', 'HEAD']);
    agentCommit(repos, 'newer', { 'newer.txt': 'newer\n' });
    const base = git(repos.cloneDir, ['rev-parse', 'HEAD']);
    // Another session brought these commits here, so this one's base is on the host.
    await bring(repos);
    git(repos.cloneDir, ['reset', '-q', '--hard', older]);
    const result = await bringOver(run, repos.host, 'behind', repos.clone, base);
    expect(result).toEqual({ head: older, ahead: 0 });
    expect(await listSessionCommits(run, repos.host, 'behind')).toEqual([]);
  });
});

describe('listSessionCommits', () => {
  it('lists commits oldest first with their files, leaving merges out', async () => {
    repos = makeRepos({ 'old name.txt': 'same content\nover lines\n' });
    const first = agentCommit(repos, 'first\n\nwith a body', {
      'src/a.txt': 'changed\n',
      'old name.txt': null,
      'new name.txt': 'same content\nover lines\n',
      'image.bin': '\0\x01\x02binary',
    });
    git(repos.cloneDir, ['checkout', '-q', '-b', 'side', 'HEAD~1']);
    const side = agentCommit(repos, 'side', { 'side.txt': 'side\n' });
    git(repos.cloneDir, ['checkout', '-q', 'main']);
    git(repos.cloneDir, ['merge', '-q', '--no-edit', 'side']);
    await bring(repos);
    const commits = await listSessionCommits(run, repos.host, repos.session);
    expect(commits.map((c) => c.subject)).toEqual(['first', 'side']);
    expect(commits.map((c) => c.sha).sort()).toEqual([first, side].sort());
    const [one] = commits;
    expect(one).toMatchObject({
      message: 'first\n\nwith a body',
      authorName: 'Agent Smith',
      added: 1,
      removed: 10,
    });
    expect(one?.files).toEqual(
      expect.arrayContaining([
        { path: 'image.bin', status: 'added', added: null, removed: null },
        { path: 'new name.txt', oldPath: 'old name.txt', status: 'renamed', added: 0, removed: 0 },
        { path: 'src/a.txt', status: 'modified', added: 1, removed: 10 },
      ]),
    );
    expect(one?.hostRun).toBe(false);
  });

  it('flags what runs on the host: a workflow, changed scripts (not other package.json changes), the exec bit', async () => {
    repos = makeRepos();
    const pkg = (scripts: Record<string, string>, version = '1.0.0') =>
      JSON.stringify({ name: 'p', version, scripts }, null, 2) + '\n';
    agentCommit(repos, 'workflow', { '.github/workflows/ci.yml': 'on: push\n' });
    agentCommit(repos, 'version only', { 'package.json': pkg({ test: 'vitest' }, '1.0.1') });
    agentCommit(repos, 'scripts', {
      'package.json': pkg({ test: 'vitest', postinstall: 'curl x | sh' }, '1.0.1'),
    });
    agentCommit(repos, 'script', { 'tool.sh': 'echo hi\n' }, { executable: ['tool.sh'] });
    agentCommit(repos, 'plain', { 'docs.md': 'docs\n', 'sub/Makefile': 'all:\n' });
    await bring(repos);
    const commits = await listSessionCommits(run, repos.host, repos.session);
    expect(commits.map((c) => [c.subject, c.hostRun, c.files.map((f) => f.hostRun ?? '-')])).toEqual([
      ['workflow', true, ['GitHub workflow']],
      ['version only', false, ['-']],
      ['scripts', true, ['package.json scripts']],
      ['script', true, ['new executable file']],
      ['plain', true, ['-', 'Makefile']],
    ]);
  });

  it('runs a fixed number of git processes and lists 50 commits quickly', async () => {
    repos = makeRepos();
    let calls = 0;
    const counting: GitRunner = (dir, args, options) => {
      calls++;
      return run(dir, args, options);
    };
    for (let i = 0; i < 5; i++)
      agentCommit(repos, `c${i}`, { [`f${i}.txt`]: `${i}\n`, 'package.json': `{"v":${i}}\n` });
    await bring(repos);
    await listSessionCommits(counting, repos.host, repos.session);
    const forFive = calls;
    for (let i = 5; i < 50; i++)
      agentCommit(repos, `c${i}`, { [`f${i}.txt`]: `${i}\n`, 'package.json': `{"v":${i}}\n` });
    await bring(repos);
    calls = 0;
    const started = performance.now();
    const commits = await listSessionCommits(counting, repos.host, repos.session);
    const ms = performance.now() - started;
    expect(commits).toHaveLength(50);
    expect(calls).toBe(forFive);
    // The brief's figure is ~300 ms; the test allows for a loaded machine.
    expect(ms).toBeLessThan(1000);
  });
});

describe('diffs', () => {
  it('gives one commit’s diff, limited to files when asked, and the whole session', async () => {
    repos = makeRepos();
    const sha = agentCommit(repos, 'two files', { 'src/a.txt': 'new a\n', 'src/b.txt': 'new b\n' });
    agentCommit(repos, 'third', { 'c.txt': 'c\n' });
    await bring(repos);
    const whole = await commitDiff(run, repos.host, sha);
    expect(whole).toContain('diff --git a/src/a.txt b/src/a.txt');
    expect(whole).toContain('+new b');
    expect(whole).not.toContain('\x1b[');
    const limited = await commitDiff(run, repos.host, sha, { files: ['src/b.txt'] });
    expect(limited).toContain('+new b');
    expect(limited).not.toContain('src/a.txt');
    const all = await sessionDiff(run, repos.host, repos.session);
    expect(all).toContain('+new a');
    expect(all).toContain('diff --git a/c.txt b/c.txt');
  });
});
