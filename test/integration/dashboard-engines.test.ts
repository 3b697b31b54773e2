import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { managedLabels } from '../../src/docker/labels.js';
import { DEFAULT_BASE_IMAGE } from '../../src/image/image-inputs.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { dockerAvailable, makeProject, runCli, testEnv } from '../support/cli.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from '../support/project-files.js';
import {
  makeCertificates,
  removeDir,
  startSecondEngine,
  tempDir,
  type Certificates,
  type SecondEngine,
} from '../support/remote-engines.js';
import { TerminalHarness } from '../support/terminal.js';

/**
 * One dashboard over two Engines: this machine's, and a second dockerd on TLS (certificates made
 * here) reached through a Docker context. The remote project's containers are made on the second
 * Engine directly, labelled as claude-tui labels them, and the project is remembered there in the
 * app settings (as `up --context` would remember it): `up` on a remote Engine is another part's.
 */
const token = `me${process.pid}`;
const context = `ctui-${token}`;
let dir: string;
let certs: Certificates;
let second: SecondEngine;
let local: ProjectIdentity;
let remote: ProjectIdentity;
let dockerConfig: string;
let dash: TerminalHarness | undefined;

const env = () => ({ DOCKER_CONFIG: dockerConfig });
const listJson = async () => {
  const result = await runCli(['ls', '--json'], { env: env() });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    engines: {
      name: string;
      endpoint: string;
      current: boolean;
      reachable: boolean;
      reason?: string;
      remembered?: string[];
      projects: { dir: string; state: string }[];
    }[];
  };
};

async function keys(text: string): Promise<void> {
  for (const key of text) {
    dash!.write(key);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Remembers the project on the context, as `up --context` does when it makes the containers. */
function rememberOn(project: ProjectIdentity, engine: { context: string }): void {
  const file = join(testEnv().CLAUDE_TUI_CONFIG_DIR!, 'config.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { projects?: { dir: string }[] };
  const others = (settings.projects ?? []).filter((p) => p.dir !== project.dir);
  settings.projects = [...others, { dir: project.dir, lastUsed: new Date().toISOString(), engine } as never];
  writeFileSync(file, JSON.stringify(settings));
}

describe.skipIf(!dockerAvailable())('the dashboard over two Engines (built binary in a pty)', () => {
  beforeAll(async () => {
    dir = tempDir('ctui-me-');
    certs = await makeCertificates(dir);
    second = await startSecondEngine(dir, certs);
    await execa('sh', [
      '-c',
      `docker save "$1" | docker -H "unix://$2" load`,
      'sh',
      DEFAULT_BASE_IMAGE,
      second.socket,
    ]);
    dockerConfig = join(dir, 'docker-config');
    const at = (file: string) => join(certs.clientDir, file);
    await execa(
      'docker',
      [
        ...['context', 'create', context, '--docker'],
        `host=tcp://127.0.0.1:${second.tlsPort},ca=${at('ca.pem')},cert=${at('cert.pem')},key=${at('key.pem')}`,
      ],
      { env: { DOCKER_CONFIG: dockerConfig } },
    );

    local = makeProject(`${token}-local`);
    writePolicyFiles(local, {
      config: [
        'firewall:',
        '  defaults: false',
        '  selfCheck: { blocked: [], allowed: [] }',
        ...FAKE_AGENT_CONFIG,
        '',
      ].join('\n'),
      allowlist: '# none\n',
    });
    const up = await runCli(['up', local.dir, '--yes'], { env: env() });
    expect(up.exitCode, up.stderr).toBe(0);

    remote = makeProject(`${token}-remote`);
    const engine = createDockerEngine({ DOCKER_HOST: `unix://${second.socket}` });
    for (const role of ['gateway', 'agent'] as const) {
      const id = await engine.createContainer(remote.names[role], {
        Image: DEFAULT_BASE_IMAGE,
        Cmd: ['sleep', 'infinity'],
        Labels: managedLabels(role, remote),
        HostConfig: { NetworkMode: 'none', Init: true },
      });
      await engine.startContainer(id);
    }
    rememberOn(remote, { context });
  }, 240_000);

  afterAll(async () => {
    if (dash) {
      dash.write('q');
      await dash.exitCode().catch(() => dash!.proc.kill());
    }
    if (local) await runCli(['down', local.dir], { env: env() });
    if (local)
      await runCli(['cleanup', '--project', local.dir, '--yes', '--discard-unmerged'], { env: env() });
    await second?.stop();
    if (dir) removeDir(dir);
  }, 120_000);

  it('ls --json: every Engine with its reachability and the projects on it', async () => {
    const { engines } = await listJson();
    expect(engines.map((e) => [e.name, e.current, e.reachable])).toEqual([
      ['default', true, true],
      [context, false, true],
    ]);
    expect(engines[1]!.endpoint).toBe(`tcp://127.0.0.1:${second.tlsPort} (TLS)`);
    expect(engines[0]!.projects.find((p) => p.dir === local.dir)?.state).toBe('up');
    expect(engines[1]!.projects.map((p) => [p.dir, p.state])).toEqual([[remote.dir, 'up']]);
    expect(engines[0]!.projects.some((p) => p.dir === remote.dir)).toBe(false);

    // A command on the remote project runs where it lives, though nothing on the command line says so.
    const status = await runCli(['status', remote.dir, '--json'], { env: env() });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      gateway: { state: 'running' },
      agent: { state: 'running' },
    });
    // An explicit choice of another Engine is refused while the project has containers where it lives.
    const elsewhere = await runCli(['--context', 'default', 'status', remote.dir], { env: env() });
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.stderr).toContain(`lives on the Docker Engine "${context}"`);
    expect(elsewhere.stderr).toContain(`claude-tui --context ${context} down ${remote.dir}`);
  });

  it('lists both under their Engines; the second one stopped shows unreachable at once while the first works; back, it returns by itself', async () => {
    dash = new TerminalHarness([], { cols: 140, rows: 40 }, env());
    await dash.waitFor(`ENGINE default · /var/run/docker.sock · reachable`);
    await dash.waitFor(
      new RegExp(`ENGINE ${context} · tcp://127\\.0\\.0\\.1:${second.tlsPort} \\(TLS\\) · reachable`),
    );
    // Other projects may be on this Engine: narrow the list to this test's two.
    await keys('/');
    await dash.waitFor('filter projects:');
    await keys(token);
    await keys('\r');
    await dash.waitFor(`filter: ${token}`);
    await dash.waitFor(new RegExp(`${token}-local\\S*\\s+up`));
    await dash.waitFor(new RegExp(`${token}-remote\\S*\\s+up`));
    // The project list is the left column (72 wide at 140 columns): headings, then their projects.
    const left = dash
      .screen()
      .split('\n')
      .map((line) => line.slice(0, 72));
    const row = (text: string) => left.findIndex((line) => line.includes(text));
    expect(row('ENGINE default')).toBeLessThan(row(`${token}-local`));
    expect(row(`${token}-local`)).toBeLessThan(row(`ENGINE ${context}`));
    expect(row(`ENGINE ${context}`)).toBeLessThan(row(`${token}-remote`));

    await second.stop();
    // Its dockerd has exited: from now on nothing listens at its port.
    const killed = Date.now();
    await dash.waitFor(
      new RegExp(
        `ENGINE ${context} · unreachable since \\d\\d:\\d\\d:\\d\\d[^\\n]*\\n\\s+Nothing answers at tcp://127\\.0\\.0\\.1:${second.tlsPort}`,
      ),
      10_000,
    );
    expect(Date.now() - killed).toBeLessThan(5_000);
    expect(dash.screen()).not.toContain(`${token}-remote`);
    expect(dash.screen()).toMatch(new RegExp(`${token}-local\\S*\\s+up`));

    // The local Engine's project still works: a session starts and shows.
    const unreachable = Date.now();
    const { engines } = await listJson();
    expect(Date.now() - unreachable).toBeLessThan(6_000);
    expect(engines[1]).toMatchObject({ name: context, reachable: false, remembered: [remote.dir] });
    expect(engines[1]!.reason).toContain('Nothing answers');
    await keys('s');
    await dash.waitFor('enter ok');
    await keys('me1 -- --model test');
    await keys('\r');
    await dash.waitFor('Started me1');
    await dash.waitFor('fake-agent ready (args: --model test)', 30_000);

    second = await startSecondEngine(dir, certs, { tlsPort: second.tlsPort });
    // Its containers come back stopped with the Engine; the dashboard finds it again by itself.
    await dash.waitFor(
      new RegExp(`ENGINE ${context} · tcp://127\\.0\\.0\\.1:${second.tlsPort} \\(TLS\\) · reachable`),
      30_000,
    );
    await dash.waitFor(new RegExp(`${token}-remote\\S*\\s+(stopped|up)`), 15_000);
  }, 180_000);
});
