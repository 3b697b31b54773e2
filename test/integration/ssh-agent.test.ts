import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { projectStateDir } from '../../src/project/project-state-dir.js';
import { dockerAvailable, makeProject, runCli, testEnv, waitFor } from '../support/cli.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { asAgent } from '../support/git-project.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from '../support/project-files.js';

const engine = createDockerEngine();

/** A real ssh-agent on the host, holding one key made for the test. */
interface HostAgent {
  socket: string;
  fingerprint: string;
  stop: () => Promise<unknown>;
}

async function startHostAgent(dir: string, name: string): Promise<HostAgent> {
  const socket = join(dir, `${name}.sock`);
  const key = join(dir, name);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@claude-tui-test`, '-f', key]);
  const agent = execa('ssh-agent', ['-D', '-a', socket], { reject: false });
  await waitFor(`ssh-agent ${name} to listen`, () => Promise.resolve(existsSync(socket)), 10_000);
  await execa('ssh-add', ['-q', key], { env: { SSH_AUTH_SOCK: socket } });
  const fingerprint = (await execa('ssh-keygen', ['-lf', `${key}.pub`])).stdout.split(' ')[1]!;
  // Waited for: it removes its socket as it ends, which must not race the folder's removal.
  const stop = async () => {
    agent.kill();
    await agent;
  };
  return { socket, fingerprint, stop };
}

/** A shell command in the project's agent container, as `claude` in /workspace. */
const inAgent = (project: ProjectIdentity, script: string) =>
  execText(engine, project.names.agent, ['bash', '-c', script], { user: 'claude', workingDir: '/workspace' });

const relayPidFile = (project: ProjectIdentity) => join(projectStateDir(project, testEnv()), 'ssh-relay.pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const noAgent = 'Could not open a connection to your authentication agent';

function writeConfig(project: ProjectIdentity, lines: string[]): void {
  writePolicyFiles(project, {
    config: ['firewall:', '  defaults: false', ...FAKE_AGENT_CONFIG, ...lines, ''].join('\n'),
    allowlist: '# none\n',
  });
}

describe.skipIf(!dockerAvailable())(
  'the SSH agent and git identity lent to the agent (real Engine, real ssh-agent)',
  () => {
    let work: string;
    let home: string;
    let first: HostAgent;
    let second: HostAgent | undefined;
    let lent: ProjectIdentity;
    let plain: ProjectIdentity;
    const setIdentity = (name: string, email: string) =>
      writeFileSync(
        join(home, '.gitconfig'),
        `[safe]\n\tdirectory = *\n[user]\n\tname = ${name}\n\temail = ${email}\n[init]\n\tdefaultBranch = main\n`,
      );
    const cli = (args: string[], env: Record<string, string> = {}) =>
      runCli(args, { env: { HOME: home, SSH_AUTH_SOCK: first.socket, ...env } });
    const authorsOf = async (project: ProjectIdentity) =>
      (
        await execa('git', ['-C', project.dir, 'log', '--format=%an <%ae> / %cn <%ce>'], {
          env: { HOME: home },
        })
      ).stdout;

    beforeAll(async () => {
      work = mkdtempSync('/tmp/claude-tui-ssh-agent-');
      home = join(work, 'home');
      mkdirSync(home);
      setIdentity('Ada Lovelace', 'ada@example.test');
      first = await startHostAgent(work, 'first');

      // A repository whose agent is lent the SSH agent: the person approved it (--yes).
      lent = makeProject('ssh-lent');
      writeConfig(lent, ['ssh:', '  agent: true']);
      await execa('git', ['init', '-q', lent.dir], { env: { HOME: home } });
      await execa('git', ['-C', lent.dir, 'commit', '-q', '--allow-empty', '-m', 'start'], {
        env: { HOME: home },
      });
      // The workspace's repository is the project user's, as a person's own is: the agent commits to it.
      await execa('chown', ['-R', '1234:1234', join(lent.dir, '.git')]);
      const up = await cli(['up', lent.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);

      // One that never asked for it, though this shell has an agent.
      plain = makeProject('ssh-plain');
      const plainUp = await cli(['up', plain.dir]);
      expect(plainUp.exitCode, plainUp.stderr).toBe(0);
    });

    afterAll(async () => {
      for (const project of [lent, plain]) if (project) await cli(['down', project.dir]);
      await first?.stop();
      await second?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it("lists the host key's fingerprint inside, through a socket the agent cannot replace", async () => {
      const listed = await cli(['exec', lent.dir, '--', 'ssh-add', '-l']);
      expect(listed.exitCode, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(first.fingerprint);
      const socket = await inAgent(
        lent,
        'echo "$SSH_AUTH_SOCK"; stat -c "%U %a %F" "$SSH_AUTH_SOCK"; ls -A /run/host-services',
      );
      expect(socket.stdout.split('\n')).toEqual([
        '/run/host-services/ssh-auth.sock',
        'claude 600 socket',
        'ssh-auth.sock',
        '',
      ]);
      const replace = await inAgent(lent, 'ln -sf /tmp/mine /run/host-services/ssh-auth.sock');
      expect(replace.exitCode).not.toBe(0);
      expect(replace.stderr).toContain('Read-only file system');
    });

    it("on the host, a user with the agent's UID cannot reach the relay (claude-tui runs as root here)", async () => {
      const relaySocket = join(projectStateDir(lent, testEnv()), 'ssh-agent', 'ssh-auth.sock');
      const asThatUser = await execa(
        'setpriv',
        ['--reuid=1234', '--regid=1234', '--clear-groups', 'ssh-add', '-l'],
        { env: { SSH_AUTH_SOCK: relaySocket }, reject: false },
      );
      expect(asThatUser.exitCode).not.toBe(0);
      expect(asThatUser.stderr).toContain('Permission denied');
      expect(statSync(projectStateDir(lent, testEnv())).mode & 0o077).toBe(0);
    });

    it("a git session's own container has it too, and commits as the person", async () => {
      const start = await cli(['start', lent.dir, '--git', '--name', 'g1']);
      expect(start.exitCode, start.stderr).toBe(0);
      expect(await asAgent(engine, lent, 'g1', 'ssh-add -l')).toContain(first.fingerprint);
      expect(
        await asAgent(
          engine,
          lent,
          'g1',
          'git commit -q --allow-empty -m g && git log -1 --format="%an <%ae>"',
        ),
      ).toBe('Ada Lovelace <ada@example.test>');
    });

    it("the agent's commits carry the host's identity; a new one reaches the next session, no container made again", async () => {
      const made = await inAgent(lent, 'git commit -q --allow-empty -m from-exec');
      expect(made.exitCode, made.stderr).toBe(0);
      expect((await authorsOf(lent)).split('\n')[0]).toBe(
        'Ada Lovelace <ada@example.test> / Ada Lovelace <ada@example.test>',
      );

      const container = (await engine.inspectContainer(lent.names.agent))!.Id;
      setIdentity('Grace Hopper', 'grace@example.test');
      const start = await cli(['start', lent.dir, '--name', 's1']);
      expect(start.exitCode, start.stderr).toBe(0);
      // The agent, in its session, commits.
      await waitFor('the fake agent to prompt', async () =>
        (
          await execText(engine, lent.names.agent, ['tmux', 'capture-pane', '-p', '-t', '=s1:'], {
            user: 'claude',
          })
        ).stdout.includes('>'),
      );
      await execText(
        engine,
        lent.names.agent,
        ['tmux', 'send-keys', '-t', '=s1:', 'sh git commit -q --allow-empty -m from-session', 'Enter'],
        {
          user: 'claude',
        },
      );
      const latest = await waitFor('the session to commit', async () => {
        const log = await authorsOf(lent);
        return log.split('\n').length === 3 && log.split('\n')[0];
      });
      expect(latest).toBe('Grace Hopper <grace@example.test> / Grace Hopper <grace@example.test>');
      expect((await engine.inspectContainer(lent.names.agent))!.Id).toBe(container);
    });

    it("a new login's agent reaches the running containers at the next up, none made again", async () => {
      const container = (await engine.inspectContainer(lent.names.agent))!.Id;
      second = await startHostAgent(work, 'second');
      const up = await cli(['up', lent.dir], { SSH_AUTH_SOCK: second.socket });
      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stdout).toContain('already up');
      const listed = await inAgent(lent, 'ssh-add -l');
      expect(listed.stdout).toContain(second.fingerprint);
      expect(listed.stdout).not.toContain(first.fingerprint);
      expect(await asAgent(engine, lent, 'g1', 'ssh-add -l')).toContain(second.fingerprint);
      expect((await engine.inspectContainer(lent.names.agent))!.Id).toBe(container);
    });

    it('up from a shell with no SSH agent says so, goes on, and keeps the one lent before', async () => {
      const up = await cli(['up', lent.dir], { SSH_AUTH_SOCK: '' });
      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stderr).toContain('SSH_AUTH_SOCK is not set here');
      expect(up.stderr).toContain(`keeps the one lent before (${second!.socket})`);
      expect((await inAgent(lent, 'ssh-add -l')).stdout).toContain(second!.fingerprint);
    });

    it('without the opt-in there is no socket and no SSH_AUTH_SOCK, though the host has an agent', async () => {
      const result = await inAgent(plain, 'echo "[${SSH_AUTH_SOCK:-}]"; ls /run/host-services; ssh-add -l');
      expect(result.stdout.split('\n')[0]).toBe('[]');
      expect(result.stderr).toContain('No such file or directory');
      expect(result.stderr).toContain(noAgent);
      expect(result.exitCode).toBe(2);
      expect(existsSync(relayPidFile(plain))).toBe(false);
    });

    it('the opt-in written into the workspace by the agent only proposes it: no socket after up, or down and up', async () => {
      const wrote = await inAgent(
        plain,
        "mkdir -p .claude && printf 'ssh:\\n  agent: true\\n' > .claude/claude-tui.yaml",
      );
      expect(wrote.exitCode, wrote.stderr).toBe(0);
      for (const step of ['up', 'down+up']) {
        if (step === 'down+up') expect((await cli(['down', plain.dir])).exitCode).toBe(0);
        const up = await cli(['up', plain.dir]);
        expect(up.exitCode, `${step}: ${up.stderr}`).toBe(0);
        expect(up.stderr, step).toContain('▲ lends the agent your SSH agent');
        const mounts = (await engine.inspectContainer(plain.names.agent))!.Mounts.map((m) => m.Destination);
        expect(mounts, step).not.toContain('/run/host-services');
        const list = await inAgent(plain, 'ssh-add -l');
        expect(list.stderr, step).toContain(noAgent);
        expect(existsSync(relayPidFile(plain)), step).toBe(false);
      }
    });

    it('turned off on the host, it narrows at once: the socket is gone from every container and the relay ends', async () => {
      const pid = Number(readFileSync(relayPidFile(lent), 'utf8'));
      expect(alive(pid)).toBe(true);
      writeConfig(lent, []);
      const up = await cli(['up', lent.dir], { SSH_AUTH_SOCK: second!.socket });
      expect(up.exitCode, up.stderr).toBe(0);
      expect(up.stderr).toContain(
        'applied at once (it only narrows): no longer lends the agent your SSH agent',
      );
      expect((await inAgent(lent, 'ssh-add -l')).stderr).toContain(noAgent);
      // The git session's container keeps its mount until it is made again; nothing answers there.
      const inSession = await execText(engine, gitSessionNames(lent, 'g1').container, ['ssh-add', '-l'], {
        user: 'claude',
      });
      expect(inSession.exitCode).not.toBe(0);
      await waitFor('the relay to end', () => Promise.resolve(!alive(pid)), 10_000);
    });
  },
);
