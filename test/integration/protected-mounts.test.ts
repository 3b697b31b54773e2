import { execa } from 'execa';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { dockerAvailable, makeProject, runCli, waitFor } from '../support/cli.js';
import { TEST_ROOT } from '../support/docker-resources.js';
import { writePolicyFiles } from '../support/project-files.js';

const engine = createDockerEngine();
const SECRET = `host-secret-${process.pid}-do-not-show`;

/** A folder of the host's, outside every project, holding a key the agent must never read. */
function hostSecretFolder(): string {
  const dir = join(TEST_ROOT, `protected-host-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'id_ed25519'), `${SECRET}\n`, { mode: 0o644 });
  return dir;
}

/** A git repository (real git), a docs folder mounted at /docs by the approved config, owned by its person. */
async function gitProject(name: string): Promise<ProjectIdentity> {
  const project = makeProject(name);
  await execa('git', ['init', '-q', project.dir]);
  mkdirSync(join(project.dir, 'docs'));
  writeFileSync(join(project.dir, 'docs/readme.txt'), 'the docs\n');
  writePolicyFiles(project, { config: 'mounts:\n  - { source: ./docs, target: /docs }\n', allowlist: '' });
  chownTree(project.dir);
  return project;
}

function chownTree(path: string): void {
  if (lstatSync(path).isSymbolicLink()) return;
  chownSync(path, 1234, 1234);
  if (lstatSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name));
}

async function asAgent(container: string, script: string) {
  return execText(engine, container, ['sh', '-c', script], { user: 'claude', workingDir: '/workspace' });
}

/** How many times the container's start checks refused, by its whole log. */
async function refusals(container: string): Promise<number> {
  const logs = await engine.containerLogs(container, 1000);
  return logs.split('the agent container does not start until').length - 1;
}

/** Kills the agent's waiting process, as the agent can (it is its own), so that Docker restarts its container. */
async function restartAsAgent(container: string): Promise<void> {
  await asAgent(container, 'pkill -u claude -f agent-wait').catch(() => undefined);
}

/** Waits for one more refused start, then gives the container's last log lines. */
async function refusedAgain(container: string, before: number, says: string): Promise<string> {
  await waitFor(`a refused start of ${container}`, async () => (await refusals(container)) > before);
  const logs = await engine.containerLogs(container, 1000);
  expect(logs).toContain(says);
  // The entrypoint stopped at the check: it never got to `ready` (nothing of the agent's runs before).
  expect(logs.slice(logs.lastIndexOf('does not start until'))).not.toContain('ready as');
  expect(logs).not.toContain(SECRET);
  return logs;
}

async function ready(container: string): Promise<void> {
  await waitFor(`${container} to be ready`, async () => {
    const probe = await execText(engine, container, ['test', '-s', '/run/claude-tui/ready']).catch(
      () => undefined,
    );
    return probe?.exitCode === 0;
  });
}

interface Status {
  state: string;
  stateReason?: string;
}

async function status(project: ProjectIdentity): Promise<Status> {
  const result = await runCli(['status', project.dir, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

/** The person puts back what the agent moved: its planted folder and link go, the real one returns. */
function restore(project: ProjectIdentity, path: string, movedTo: string): void {
  rmSync(join(project.dir, path), { recursive: true, force: true });
  renameSync(join(project.dir, movedTo), join(project.dir, path));
}

describe.skipIf(!dockerAvailable())(
  'protected mounts stay what up mounted across restarts (real Engine)',
  () => {
    let project: ProjectIdentity;
    let hostDir: string;
    let agent: string;

    beforeAll(async () => {
      hostDir = hostSecretFolder();
      project = await gitProject('protected');
      agent = project.names.agent;
      const up = await runCli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
    });

    afterAll(async () => {
      await runCli(['down', project.dir]);
    });

    it('mounts .git/hooks and the docs read-only, as they are', async () => {
      const read = await asAgent(
        agent,
        'ls .git/hooks | head -1; cat /docs/readme.txt; touch .git/hooks/x /docs/x',
      );
      expect(read.stdout).toContain('the docs');
      expect(read.stderr).toContain('Read-only file system');
    });

    it('refuses to start when the agent renamed .git and put a link to a host folder at .git/hooks', async () => {
      const planted = await asAgent(
        agent,
        `mv .git .gitx && mkdir .git && cp .gitx/config .git/ && ln -s ${hostDir} .git/hooks`,
      );
      expect(planted.exitCode, planted.stderr).toBe(0);
      let before = await refusals(agent);
      await restartAsAgent(agent);
      await refusedAgain(agent, before, '/workspace/.git/hooks: not mounted there');
      const refused = await status(project);
      expect(refused.state).toBe('partial');
      expect(refused.stateReason).toContain('the agent container refuses to start');
      expect(refused.stateReason).toContain('/workspace/.git/hooks');

      // A restart through the Engine (a reboot, `docker restart`) is refused the same way.
      before = await refusals(agent);
      await engine.restartContainer(agent, 1).catch(() => undefined);
      await refusedAgain(agent, before, '/workspace/.git/hooks: not mounted there');

      // Put back by the person, up starts it again, with .git/hooks read-only as before.
      restore(project, '.git', '.gitx');
      const up = await runCli(['up', project.dir]);
      expect(up.exitCode, up.stderr).toBe(0);
      expect((await status(project)).state).toBe('up');
      const inside = await asAgent(agent, 'test -f .git/hooks/pre-commit.sample && touch .git/hooks/x');
      expect(inside.stderr).toContain('Read-only file system');
    });

    it('refuses to start when the agent put a link where an extra mount inside the workspace comes from', async () => {
      const planted = await asAgent(agent, `mv docs docs-moved && ln -s ${hostDir} docs`);
      expect(planted.exitCode, planted.stderr).toBe(0);
      const before = await refusals(agent);
      await restartAsAgent(agent);
      await refusedAgain(agent, before, '/docs: shows');
      // up itself mounts what the approved path leads to now, and the check refuses that too.
      const up = await runCli(['up', project.dir]);
      expect(up.exitCode).toBe(1);
      expect(up.stderr).toContain('/docs: shows');
      expect(up.stdout + up.stderr).not.toContain(SECRET);

      restore(project, 'docs', 'docs-moved');
      const again = await runCli(['up', project.dir]);
      expect(again.exitCode, again.stderr).toBe(0);
      expect((await asAgent(agent, 'cat /docs/readme.txt')).stdout).toBe('the docs\n');
    });

    it('starts as before when the person replaced .git/hooks and .git/config on the host', async () => {
      renameSync(join(project.dir, '.git/hooks'), join(project.dir, '.git/hooks-old'));
      mkdirSync(join(project.dir, '.git/hooks'));
      writeFileSync(join(project.dir, '.git/hooks/new-hook'), 'echo new\n');
      chownTree(join(project.dir, '.git/hooks'));
      // git writes its config anew (a new file, renamed over the old one).
      await execa('git', [
        '-c',
        'safe.directory=*',
        '-C',
        project.dir,
        'config',
        'claude-tui.test',
        'replaced',
      ]);
      const restartsBefore = (await engine.inspectContainer(agent))!.RestartCount;
      await restartAsAgent(agent);
      await waitFor(
        'the agent to restart',
        async () => (await engine.inspectContainer(agent))!.RestartCount > restartsBefore,
      );
      await ready(agent);
      const inside = await asAgent(
        agent,
        'cat .git/hooks/new-hook; git config claude-tui.test; touch .git/hooks/x',
      );
      expect(inside.stdout).toBe('echo new\nreplaced\n');
      expect(inside.stderr).toContain('Read-only file system');
      expect((await status(project)).state).toBe('up');
    });
  },
);

/** Debian's docker-compose (1.29) is what this machine has. */
async function compose(file: string, name: string, args: string[]) {
  const result = await execa('docker-compose', ['-f', file, '-p', name, ...args], { reject: false });
  return { stdout: String(result.stdout).trim(), stderr: String(result.stderr), exitCode: result.exitCode };
}

describe.skipIf(!dockerAvailable())(
  'protected mounts in the compose export (real Engine, docker-compose)',
  () => {
    let project: ProjectIdentity;
    let hostDir: string;
    const file = join(TEST_ROOT, `protected-compose-${process.pid}.yaml`);
    const name = `ctuitestprotected${process.pid}`;
    let agent = '';

    beforeAll(async () => {
      hostDir = hostSecretFolder();
      project = await gitProject('protected-compose');
      const approved = await runCli(['approve', project.dir, '--yes']);
      expect(approved.exitCode, approved.stderr).toBe(0);
      const exported = await runCli(['compose', project.dir, '--output', file]);
      expect(exported.exitCode, exported.stderr).toBe(0);
      const started = await compose(file, name, ['up', '-d']);
      expect(started.exitCode, started.stderr).toBe(0);
      agent = (await compose(file, name, ['ps', '-q', 'agent'])).stdout;
      await ready(agent);
    });

    afterAll(async () => {
      await compose(file, name, ['down']);
    });

    it('the composed agent refuses to start after the same attack, and starts once it is put back', async () => {
      const planted = await asAgent(
        agent,
        `mv .git .gitx && mkdir .git && cp .gitx/config .git/ && ln -s ${hostDir} .git/hooks`,
      );
      expect(planted.exitCode, planted.stderr).toBe(0);
      const before = await refusals(agent);
      await restartAsAgent(agent);
      await refusedAgain(agent, before, '/workspace/.git/hooks: not mounted there');
      // A later `docker compose up` of the same file is refused too.
      await compose(file, name, ['up', '-d', '--force-recreate', 'agent']);
      agent = (await compose(file, name, ['ps', '-q', 'agent'])).stdout;
      await refusedAgain(agent, 0, '/workspace/.git/hooks: not mounted there');

      restore(project, '.git', '.gitx');
      const restarted = await compose(file, name, ['restart', 'agent']);
      expect(restarted.exitCode, restarted.stderr).toBe(0);
      await ready(agent);
      const inside = await asAgent(agent, 'test -f .git/hooks/pre-commit.sample && touch .git/hooks/x');
      expect(inside.stderr).toContain('Read-only file system');
    });
  },
);
