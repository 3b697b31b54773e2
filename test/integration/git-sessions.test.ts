import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { SessionCommit } from '../../src/git/types.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { dockerAvailable } from '../support/cli.js';
import { asAgent as asAgentIn, gitCli, gitTestProject, hostGit } from '../support/git-project.js';
import { execText } from '../../src/docker/exec.js';

const engine = createDockerEngine();
const cli = gitCli;
const asAgent = (project: ProjectIdentity, session: string, script: string) =>
  asAgentIn(engine, project, session, script);

const commitAs = (file: string, text: string, message: string) =>
  `printf '%s\\n' '${text}' >> ${file} && git add ${file} && git commit -qm '${message}'`;

async function sessionLog(project: ProjectIdentity, session: string): Promise<SessionCommit[]> {
  const result = await cli(['log', session, '--project', project.dir, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as SessionCommit[];
}

async function unmergedOf(volume: string): Promise<number | null> {
  const result = await cli(['volumes', '--json']);
  const rows = JSON.parse(result.stdout) as { name: string; unmergedCommits: number | null }[];
  return rows.find((row) => row.name === volume)?.unmergedCommits ?? null;
}

describe.skipIf(!dockerAvailable())(
  'git sessions (real Engine, real git on both sides, the fake agent)',
  () => {
    let project: ProjectIdentity;

    beforeAll(async () => {
      project = await gitTestProject('gitwork', { 'notes.txt': 'first\n', 'other.txt': 'other\n' });
      // Left uncommitted on the host: a change and a file git does not know.
      writeFileSync(join(project.dir, 'other.txt'), 'other, changed on the host\n');
      writeFileSync(join(project.dir, 'host-only.txt'), 'not committed\n');
      const up = await cli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
    });

    afterAll(async () => {
      await cli(['down', project.dir]);
    });

    it('starts on a clone in a volume: no remote, no host tree, its own folder, the host changes left out', async () => {
      const start = await cli(['start', project.dir, '--git', '--name', 'g1']);
      expect(start.exitCode, start.stderr).toBe(0);
      expect(start.stdout).toContain('2 uncommitted changed files were not carried over');
      const names = gitSessionNames(project, 'g1');
      const container = await engine.inspectContainer(names.container);
      // No bind mount of the project's folder (nor of anything below it) at all.
      const sources = (container?.Mounts ?? []).map((m) => m.Source);
      expect(sources.some((source) => source.startsWith(project.dir))).toBe(false);
      expect(container?.HostConfig.NetworkMode).toMatch(/^container:/);
      expect(await asAgent(project, 'g1', 'pwd')).toBe('/workspace/g1');
      expect(await asAgent(project, 'g1', 'ls -A /workspace')).toBe('g1');
      expect(
        await asAgent(
          project,
          'g1',
          'git remote -v; git config --get-regexp "^(remote|credential)\\." || true',
        ),
      ).toBe('');
      expect(await asAgent(project, 'g1', 'cat other.txt; ls')).toBe('other\nnotes.txt\nother.txt');
      expect(await asAgent(project, 'g1', 'git log --format=%s')).toBe('start');
      const sessions = JSON.parse((await cli(['sessions', project.dir, '--json'])).stdout) as {
        name: string;
        kind: string;
        running: boolean;
      }[];
      expect(sessions.find((s) => s.name === 'g1')).toMatchObject({ kind: 'git', running: true });
      // Its tmux socket stays in its own container: none in the home volume that all containers share.
      expect(await asAgent(project, 'g1', 'echo "${TMUX_TMPDIR:-none}"; ls -A ~/.claude-tui')).toBe(
        'none\nsessions',
      );
    });

    it("gives each git session its own folder, so the agent never resumes another one's conversation", async () => {
      const start = await cli(['start', project.dir, '--git', '--name', 'g2', '--include-changes']);
      expect(start.exitCode, start.stderr).toBe(0);
      expect(start.stdout).toContain('uncommitted changed files are its first commit');
      // The agent keys its conversations by folder: two sessions, two folders.
      expect(await asAgent(project, 'g2', 'pwd')).toBe('/workspace/g2');
      expect(await asAgent(project, 'g2', 'cat host-only.txt other.txt')).toBe(
        'not committed\nother, changed on the host',
      );
      // The home (login, settings) is the one volume both share.
      const home1 = (await engine.inspectContainer(gitSessionNames(project, 'g1').container))?.Mounts.find(
        (m) => m.Destination === '/home/claude',
      );
      const home2 = (await engine.inspectContainer(gitSessionNames(project, 'g2').container))?.Mounts.find(
        (m) => m.Destination === '/home/claude',
      );
      expect(home1?.Name).toBe(project.names.homeVolume);
      expect(home2?.Name).toBe(project.names.homeVolume);
      const log = await sessionLog(project, 'g2');
      expect(log.map((c) => c.subject)).toEqual(['Uncommitted changes on the host when the session started']);
    });

    it('shows the commits the agent made, and lands two of five on the host branch', async () => {
      // One made through the session itself, the way the agent works; four more from its shell.
      const attach = await execText(
        engine,
        gitSessionNames(project, 'g1').container,
        ['tmux', 'send-keys', '-t', '=g1:', `sh ${commitAs('a.txt', 'one', 'add a')}`, 'Enter'],
        { user: 'claude' },
      );
      expect(attach.exitCode).toBe(0);
      await expect
        .poll(() => asAgent(project, 'g1', 'git log --format=%s'), { timeout: 15_000 })
        .toContain('add a');
      await asAgent(
        project,
        'g1',
        [
          commitAs('b.txt', 'two', 'add b'),
          commitAs('notes.txt', 'three', 'extend notes'),
          commitAs('c.txt', 'four', 'add c'),
          commitAs('notes.txt', 'five', 'extend notes again'),
        ].join(' && '),
      );
      const log = await sessionLog(project, 'g1');
      expect(log.map((c) => c.subject)).toEqual([
        'add a',
        'add b',
        'extend notes',
        'add c',
        'extend notes again',
      ]);
      expect(log[2]).toMatchObject({
        added: 1,
        removed: 0,
        files: [{ path: 'notes.txt', status: 'modified' }],
      });

      const headBefore = await hostGit(project.dir, ['rev-parse', 'HEAD']);
      const statusBefore = await hostGit(project.dir, ['status', '--porcelain=v2']);
      const merge = await cli(['merge', 'g1', '--project', project.dir, '--pick', '2,4']);
      expect(merge.exitCode, merge.stderr).toBe(0);
      expect(merge.stdout).toContain('Landed 2 commits on main');
      expect(await hostGit(project.dir, ['log', '--format=%s', `${headBefore}..HEAD`])).toBe('add c\nadd b');
      // The person's uncommitted work is where it was.
      expect(await hostGit(project.dir, ['status', '--porcelain=v2'])).toBe(statusBefore);
      expect(readFileSync(join(project.dir, 'b.txt'), 'utf8')).toBe('two\n');
      // The diff of one commit, named by its position.
      const diff = await cli(['diff', 'g1', '3', '--project', project.dir]);
      expect(diff.stdout).toContain('+three');
    });

    it("shows the agent's words on the terminal with their control characters made visible", async () => {
      // A subject and a file that would clear the screen and write the clipboard if printed raw.
      await asAgent(
        project,
        'g2',
        `printf 'x\\033[2J\\033]52;c;ZXZpbA==\\007\\n' > evil.txt && git add evil.txt && git commit -qm "$(printf 'tidy\\033[2J')"`,
      );
      const log = await cli(['log', 'g2', '--project', project.dir]);
      expect(log.stdout).toContain('tidy^[[2J');
      const diff = await cli(['diff', 'g2', '--project', project.dir]);
      expect(diff.stdout).toContain('+x^[[2J^[]52;c;ZXZpbA==^G');
      for (const output of [log.stdout, diff.stdout]) expect(output).not.toContain('\x1b');
    });

    it('counts unmerged work by what landed: the volume is guarded until all of it is on the host', async () => {
      const volume = gitSessionNames(project, 'g1').volume;
      expect(await unmergedOf(volume)).toBe(3);
      // A squash of the rest lands them all (marks, not patch-ids, tell a squash).
      const squash = await cli([
        'merge',
        'g1',
        '--project',
        project.dir,
        '--all',
        '--squash',
        '-m',
        'The rest',
      ]);
      expect(squash.exitCode, squash.stderr).toBe(0);
      expect(await hostGit(project.dir, ['log', '-1', '--format=%s'])).toBe('The rest');
      expect(await unmergedOf(volume)).toBe(0);
      const again = await cli(['merge', 'g1', '--project', project.dir, '--all']);
      expect(again.exitCode).not.toBe(0);
      expect(again.stderr).toContain('Nothing to merge');
    });

    it('keeps the clone when the session stops, and goes on in it when started again', async () => {
      expect((await cli(['stop', 'g1', '--project', project.dir])).exitCode).toBe(0);
      const listed = JSON.parse((await cli(['sessions', project.dir, '--json'])).stdout) as {
        name: string;
        running: boolean;
      }[];
      expect(listed.find((s) => s.name === 'g1')?.running).toBe(false);
      const volume = gitSessionNames(project, 'g1').volume;
      expect(await engine.inspectVolume(volume)).toBeDefined();
      const again = await cli(['start', project.dir, '--git', '--name', 'g1']);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(again.stdout).toContain('again, in its clone');
      expect(await asAgent(project, 'g1', 'git log -1 --format=%s')).toBe('extend notes again');
    });

    it('reads a git session of a project that is down, and deletes only a clone whose work all landed', async () => {
      await asAgent(project, 'g2', commitAs('late.txt', 'late', 'late work'));
      expect((await cli(['down', project.dir])).exitCode).toBe(0);
      // Through a short-lived container with no network, gone afterwards.
      const log = await sessionLog(project, 'g2');
      expect(log.map((c) => c.subject)).toContain('late work');
      const leftovers = await engine.listContainers({});
      expect(leftovers.some((c) => c.Names.some((n) => n.includes('-look-')))).toBe(false);
      const partly = gitSessionNames(project, 'g2').volume;
      expect(await unmergedOf(partly)).toBe(3);
      const refused = await cli(['rm-volume', partly, '--yes']);
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toContain('3 commits never merged back');
      expect(await engine.inspectVolume(partly)).toBeDefined();
      const landed = await cli(['rm-volume', gitSessionNames(project, 'g1').volume, '--yes']);
      expect(landed.exitCode, landed.stderr).toBe(0);
    });
  },
);
