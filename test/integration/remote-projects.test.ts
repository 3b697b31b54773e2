import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerEngine } from '../../src/docker/engine.js';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import { LABEL } from '../../src/docker/labels.js';
import { DEFAULT_BASE_IMAGE } from '../../src/image/image-inputs.js';
import { engineFilesVolume } from '../../src/project/engine-files.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { dockerAvailable, makeProject, runCli, type CliResult } from '../support/cli.js';
import { gitHome, hostGit } from '../support/git-project.js';
import { writePolicyFiles } from '../support/project-files.js';
import {
  makeCertificates,
  removeDir,
  startSecondEngine,
  startSshServer,
  tempDir,
  type Certificates,
  type SecondEngine,
  type SshServer,
} from '../support/remote-engines.js';
import { TerminalHarness } from '../support/terminal.js';

/**
 * Projects on remote Engines, end to end with the built binary: a second dockerd on TCP with TLS
 * (certificates made here; its own image store, so the agent image is built there, from the base
 * image loaded into it) and this machine's Engine reached over ssh:// through an sshd started
 * here. Both count as remote, so nothing of this machine may be bound: the containers get their
 * files from a volume filled through the Engine, and sessions are git sessions on clones sent over
 * the exec connection. The fake agent is in the repository itself (extra mounts are refused).
 */
const fakeAgent = fileURLToPath(new URL('../fixtures/fake-agent/fake-agent', import.meta.url));

let dir: string;
let certs: Certificates;
let second: SecondEngine;
let ssh: SshServer;

interface RemoteEngine {
  name: string;
  env: () => Record<string, string>;
}

const engines: RemoteEngine[] = [
  {
    name: 'TCP with TLS',
    env: () => ({
      DOCKER_HOST: `tcp://127.0.0.1:${second.tlsPort}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs.clientDir,
    }),
  },
  {
    name: 'ssh://',
    env: () => ({ DOCKER_HOST: `ssh://${ssh.user}@127.0.0.1:${ssh.port}`, PATH: ssh.path }),
  },
];

/** A repository whose agent is the fake agent, committed in it; the firewall on, nothing allowed. */
async function remoteTestProject(name: string, extraConfig: string[] = []): Promise<ProjectIdentity> {
  const project = makeProject(name);
  writePolicyFiles(project, {
    config: [
      'firewall:',
      '  defaults: false',
      '  selfCheck: { blocked: [], allowed: [] }',
      'agent:',
      '  command: ./tools/fake-agent',
      ...extraConfig,
      '',
    ].join('\n'),
    allowlist: '# none\n',
  });
  mkdirSync(join(project.dir, 'tools'));
  copyFileSync(fakeAgent, join(project.dir, 'tools', 'fake-agent'));
  chmodSync(join(project.dir, 'tools', 'fake-agent'), 0o755);
  writeFileSync(join(project.dir, 'notes.txt'), 'first\n');
  await hostGit(project.dir, ['init', '-q']);
  await hostGit(project.dir, ['add', '-A']);
  await hostGit(project.dir, ['commit', '-qm', 'start']);
  return project;
}

/** Everything of the project's on an Engine, found by label. */
async function leftOn(engine: DockerEngine, project: ProjectIdentity): Promise<string[]> {
  const filter = { [LABEL.projectId]: project.id };
  const [containers, volumes, networks] = await Promise.all([
    engine.listContainers(filter),
    engine.listVolumes(filter),
    engine.listNetworks(filter),
  ]);
  return [
    ...containers.map((c) => c.Names[0] ?? c.Id),
    ...volumes.map((v) => v.Name),
    ...networks.map((n) => n.Name),
  ];
}

/** The host repository as the person sees it: branch tip, index and working tree, stash, refs. */
async function hostState(project: ProjectIdentity): Promise<{ status: string; branches: string }> {
  const git = (args: string[]) => hostGit(project.dir, args);
  return {
    status: await git(['status', '--porcelain=v2', '--branch', '--untracked-files=all']),
    branches: await git(['for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags']),
  };
}

describe.skipIf(!dockerAvailable())('remote projects (a TLS Engine and an ssh:// Engine)', () => {
  beforeAll(async () => {
    dir = tempDir('ctui-rp-');
    certs = await makeCertificates(dir);
    // Its containers reach out as this machine: the image build downloads its packages.
    second = await startSecondEngine(dir, certs, undefined, { outbound: true });
    ssh = await startSshServer(dir);
    // The second Engine starts empty and reaches no registry: it gets the base image from ours.
    await execa('sh', [
      '-c',
      `docker save "$1" | docker -H "unix://$2" load`,
      'sh',
      DEFAULT_BASE_IMAGE,
      second.socket,
    ]);
  }, 120_000);

  afterAll(async () => {
    await ssh?.stop();
    await second?.stop();
    if (dir) removeDir(dir);
  });

  for (const remote of engines) {
    describe(`on the ${remote.name} Engine`, () => {
      let project: ProjectIdentity;
      let engine: DockerEngine;
      const cli = (args: string[]): Promise<CliResult> =>
        runCli(args, { env: { HOME: gitHome, ...remote.env() }, timeoutMs: 900_000 });

      beforeAll(async () => {
        engine = createDockerEngine({ ...process.env, ...remote.env() });
        project = await remoteTestProject(`remote-${remote.name.startsWith('ssh') ? 'ssh' : 'tls'}`);
      });

      afterAll(async () => {
        await cli(['down', project.dir]);
        await cli(['cleanup', '--project', project.dir, '--yes', '--discard-unmerged']);
      });

      it('brings the project up with the policy applied, binding nothing of this machine', async () => {
        const up = await cli(['up', project.dir, '--yes']);
        expect(up.exitCode, up.stderr).toBe(0);
        expect(up.stdout).toContain('firewall: protected');
        const files = await engine.inspectVolume(engineFilesVolume(project));
        expect(files?.Labels?.[LABEL.projectId]).toBe(project.id);
        for (const name of [project.names.gateway, project.names.agent]) {
          const container = await engine.inspectContainer(name);
          expect(container?.State.Running, name).toBe(true);
          // Binds come only from the project's files volume, on the Engine's own machine.
          for (const mount of container?.Mounts ?? []) {
            if (mount.Type === 'bind')
              expect(mount.Source.startsWith(`${files?.Mountpoint}/`), mount.Source).toBe(true);
          }
        }
        const resolv = await execText(engine, project.names.agent, ['cat', '/etc/resolv.conf']);
        expect(resolv.stdout).toContain('nameserver 127.0.0.1');
        const again = await cli(['up', project.dir]);
        expect(again.exitCode, again.stderr).toBe(0);
        expect(again.stdout).not.toMatch(/created|replaced|applied the firewall/);
      }, 900_000);

      it('refuses a folder session: remote projects run git sessions', async () => {
        for (const args of [
          ['start', project.dir],
          ['run', project.dir, '--', '-p', 'hello'],
        ]) {
          const refused = await cli(args);
          expect(refused.exitCode, args.join(' ')).toBe(1);
          expect(refused.stderr).toContain('remote projects run git sessions');
          expect(refused.stderr).not.toMatch(/\n\s+at /);
        }
      });

      it('starts a git session, attaches through a pty, lets the agent commit, and merges it', async () => {
        const start = await cli(['start', project.dir, '--git', '--name', 'g1']);
        expect(start.exitCode, start.stderr).toBe(0);
        const names = gitSessionNames(project, 'g1');
        const container = await engine.inspectContainer(names.container);
        expect(container?.Mounts.some((m) => m.Type === 'bind' && m.Source.startsWith(project.dir))).toBe(
          false,
        );

        const term = new TerminalHarness(
          ['attach', 'g1', '--project', project.dir],
          { cols: 100, rows: 30 },
          {
            HOME: gitHome,
            ...remote.env(),
          },
        );
        await term.waitFor('fake-agent ready', 30_000);
        term.write(`sh printf 'from afar\\n' > far.txt && git add far.txt && git commit -qm 'add far'\r`);
        await term.waitFor('sh done: 0', 30_000);
        term.write('\x11');
        expect(await term.exitCode()).toBe(0);
        await term.waitFor('Detached from g1; it keeps running');

        const peek = await cli(['peek', 'g1', '--project', project.dir]);
        expect(peek.stdout).toContain('sh done: 0');
        const log = await cli(['log', 'g1', '--project', project.dir, '--json']);
        expect((JSON.parse(log.stdout) as { subject: string }[]).map((c) => c.subject)).toEqual(['add far']);

        const before = await hostState(project);
        const headBefore = await hostGit(project.dir, ['rev-parse', 'HEAD']);
        const merge = await cli(['merge', 'g1', '--project', project.dir, '--all']);
        expect(merge.exitCode, merge.stderr).toBe(0);
        expect(await hostGit(project.dir, ['log', '--format=%s', `${headBefore}..HEAD`])).toBe('add far');
        expect(await hostGit(project.dir, ['diff', '--stat', `${headBefore}`, 'HEAD'])).toContain('far.txt');
        const after = await hostState(project);
        // The same but for the landed commit: the branch moved by it, nothing else changed.
        const head = await hostGit(project.dir, ['rev-parse', 'HEAD']);
        expect(after.status).toBe(before.status.replace(headBefore, head));
        expect(after.branches).toBe(before.branches.replace(headBefore, head));
      });

      it('sends a policy change and a new git identity to the Engine, in place', async () => {
        const add = await cli(['allow', 'add', 'far.test', '--project', project.dir]);
        expect(add.exitCode, add.stderr).toBe(0);
        const domains = await execText(engine, project.names.gateway, [
          'cat',
          '/etc/claude-tui/policy/domains.txt',
        ]);
        expect(domains.stdout).toContain('far.test');
        const status = await execText(engine, project.names.gateway, [
          '/usr/local/lib/claude-tui/firewall',
          'status',
        ]);
        expect(status.stdout).toMatch(/^protected: 1 names/);

        const identity = () => execText(engine, project.names.agent, ['cat', '/etc/claude-tui/git-identity']);
        expect((await identity()).stdout).toContain('Host Person');
        await hostGit(project.dir, ['config', 'user.name', 'Far Person']);
        const start = await cli(['start', project.dir, '--git', '--name', 'g2']);
        expect(start.exitCode, start.stderr).toBe(0);
        // The project's agent, running all along, sees it too: the file was rewritten, not replaced.
        expect((await identity()).stdout).toContain('Far Person');
        expect((await cli(['stop', 'g2', '--project', project.dir])).exitCode).toBe(0);
      });

      it('logs in through a pair on that Engine, which leaves nothing behind', async () => {
        // The agent's `setup-token`, as the fake agent does it, written into the config itself:
        // the login's pair has no clone to run it from.
        const setupToken = [
          'echo https://claude.ai/oauth/authorize?code=true',
          'printf "Paste code here > "',
          'read -r code',
          't="sk-ant-oat01-$code"',
          'while [ ${#t} -lt 108 ]; do t="${t}x"; done',
          'echo',
          'echo "Your OAuth token (valid for 1 year):"',
          'echo',
          'echo "$t"',
        ].join('; ');
        const base = await remoteTestProject('remote-login');
        writeFileSync(
          join(base.dir, '.claude', 'claude-tui.yaml'),
          `agent:\n  command: [bash, -c, ${JSON.stringify(setupToken)}, agent]\n`,
        );
        // The login runs the agent command as approved.
        const approve = await cli(['approve', base.dir, '--yes']);
        expect(approve.exitCode, approve.stderr).toBe(0);
        const term = new TerminalHarness(
          ['login', '--project', base.dir],
          { cols: 100, rows: 30 },
          {
            HOME: gitHome,
            ...remote.env(),
          },
        );
        let exited = false;
        void term.exit.then(() => (exited = true));
        try {
          await term.waitFor('Paste code here', 120_000);
          // The login's pair is named after the process that made it (other runs may log in too).
          const ours = (name: string) => name.includes(`claude-tui-login-${term.proc.pid}-`);
          const pair = (await engine.listContainers({ [LABEL.managed]: 'true' }))
            .flatMap((c) => c.Names)
            .filter(ours);
          expect(pair.length).toBe(2);
          term.write('code-1234\r');
          expect(await term.exitCode()).toBe(0);
          expect(term.raw).toContain('sk-ant-oat01-…xxxx');
          const left = [
            ...(await engine.listContainers({ [LABEL.managed]: 'true' })).flatMap((c) => c.Names),
            ...(await engine.listVolumes({ [LABEL.managed]: 'true' })).map((v) => v.Name),
          ];
          expect(left.filter(ours)).toEqual([]);
        } finally {
          // A login cut short by a failure here takes its pair down on SIGTERM, as a person's would.
          if (!exited) term.proc.kill('SIGTERM');
          await term.exit;
        }
      });

      it('refuses ssh.agent before making anything', async () => {
        const other = await remoteTestProject('remote-ssh-agent', ['ssh:', '  agent: true']);
        const up = await cli(['up', other.dir, '--yes']);
        expect(up.exitCode).toBe(1);
        expect(up.stderr).toContain('is on another machine, and ssh.agent lends');
        expect(await leftOn(engine, other)).toEqual([]);
      });

      it('leaves nothing on the Engine after down and cleanup', async () => {
        expect((await cli(['down', project.dir])).exitCode).toBe(0);
        const cleanup = await cli(['cleanup', '--project', project.dir, '--yes', '--discard-unmerged']);
        expect(cleanup.exitCode, cleanup.stderr).toBe(0);
        expect(await leftOn(engine, project)).toEqual([]);
      });
    });
  }
});
