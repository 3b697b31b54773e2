import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgePolicy } from '../../src/config/bridge-policy.js';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { fetchFromAgent } from '../support/agent-fetch.js';
import { dockerAvailable, makeProject, runCli } from '../support/cli.js';
import { writePolicyFiles } from '../support/project-files.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';
import { execText } from '../../src/docker/exec.js';

const engine = createDockerEngine();

/** What a hostile agent would like its config to say: no firewall, a host folder writable inside. */
const hostileConfig = (loot: string) =>
  `firewall: {enabled: false}\nmounts: [{source: ${loot}, target: /loot, readOnly: false}]\n`;

interface Status {
  firewall: string;
  policy: { pending: { files: { path: string; change: string }[]; problems: string[] } | null };
  bridge: BridgePolicy | null;
}

/** A bridge the agent would like: php run for it in the project's php service. */
const hostileBridge = [
  'version: "1"',
  'containers: {php: {service: php}}',
  'commands: {php: {container: php, exec: php, workdir: /var/www/html, user: www-data}}',
];

async function status(project: ProjectIdentity): Promise<Status> {
  const result = await runCli(['status', project.dir, '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Status;
}

async function mountsOfAgent(project: ProjectIdentity): Promise<string[]> {
  return ((await engine.inspectContainer(project.names.agent))?.Mounts ?? []).map((m) => m.Destination);
}

/** Runs a shell command in the agent container as `claude` or as root, in /workspace. */
async function inAgent(project: ProjectIdentity, user: 'claude' | 'root', script: string) {
  return execText(engine, project.names.agent, ['sh', '-c', script], { user, workingDir: '/workspace' });
}

/**
 * The promise under test: after whatever the agent did to the policy files, neither `allow apply`,
 * nor `up`, nor `down` + `up` widens its rights; the firewall stays on, no mount appears, and the
 * status names the waiting change.
 */
async function expectNothingWidened(project: ProjectIdentity, waiting: string, blockedUrl?: string) {
  const apply = await runCli(['allow', 'apply', project.dir]);
  expect(apply.exitCode, 'allow apply says a change waits').toBe(1);
  expect(apply.stderr).toContain(`claude-tui approve ${project.dir}`);
  for (const step of ['up', 'down+up']) {
    if (step === 'down+up') expect((await runCli(['down', project.dir])).exitCode).toBe(0);
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, `${step}: ${up.stderr}`).toBe(0);
    const now = await status(project);
    expect(now.firewall, step).toMatch(/^protected: /);
    expect(
      now.policy.pending?.files.map((f) => f.path),
      step,
    ).toContain(waiting);
    expect(await mountsOfAgent(project), step).not.toContain('/loot');
    if (blockedUrl) expect((await fetchFromAgent(project, blockedUrl)).code, step).toBe(6);
  }
}

describe.skipIf(!dockerAvailable())('nothing the agent writes widens its own rights (real Engine)', () => {
  let net: TestNetwork;
  let project: ProjectIdentity;
  let loot: string;

  beforeAll(async () => {
    await buildTestHostsImage();
    net = await startTestNetwork(`ctui-test-trust-${process.pid}`, {
      allowed: ['allowed.test'],
      blocked: ['blocked.test'],
    });
    project = makeProject('trust');
    loot = join(dirname(project.dir), `loot-${process.pid}`);
    mkdirSync(loot, { recursive: true });
    writeFileSync(join(loot, 'host-secret'), 'a file of the host\n');
    writePolicyFiles(project, {
      config: `firewall:\n  defaults: false\n  dnsUpstream: ${net.dnsIp}\n  selfCheck: { blocked: [], allowed: [] }\nnetworks: [${net.name}]\n`,
      allowlist: 'allowed.test\n',
    });
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect((await fetchFromAgent(project, 'http://allowed.test/')).code).toBe(0);
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
    await net.remove();
    rmSync(loot, { recursive: true, force: true });
  });

  it('creating a policy file that was absent, as claude or as root, only proposes it', async () => {
    const lines = hostileBridge.map((line) => `'${line}'`).join(' ');
    const bridge = await inAgent(project, 'claude', `printf '%s\\n' ${lines} > .claude/bridge.yaml`);
    expect(bridge.exitCode, bridge.stderr).toBe(0);
    await expectNothingWidened(project, '.claude/bridge.yaml', 'http://blocked.test/');
    expect((await status(project)).bridge, 'no bridge command runs before approval').toBeNull();

    const allow = await inAgent(
      project,
      'root',
      'mkdir -p .aidevcontainer && echo blocked.test > .aidevcontainer/allowed-domains.txt',
    );
    expect(allow.exitCode, allow.stderr).toBe(0);
    await expectNothingWidened(project, '.aidevcontainer/allowed-domains.txt', 'http://blocked.test/');
  });

  it('editing one it can reach, or replacing it with a link, only proposes that too', async () => {
    const file = '.aidevcontainer/allowed-domains.txt';
    const outside = join(dirname(project.dir), `hostile-${process.pid}.txt`);
    writeFileSync(outside, 'blocked.test\n');
    const acts = [
      { user: 'claude', script: `echo blocked.test >> ${file}` },
      // A link out of the project, to a file the agent would like the host to read for it.
      { user: 'root', script: `rm -f ${file} && ln -s ../../${outside.split('/').pop()} ${file}` },
    ] as const;
    for (const act of acts) {
      // A file the agent made after the last up is not mounted read-only: it can change it.
      await runCli(['down', project.dir]);
      rmSync(join(project.dir, '.aidevcontainer'), { recursive: true, force: true });
      expect((await runCli(['up', project.dir])).exitCode).toBe(0);
      await inAgent(project, 'claude', `mkdir -p .aidevcontainer && echo allowed.test > ${file}`);
      const done = await inAgent(project, act.user, act.script);
      expect(done.exitCode, done.stderr).toBe(0);
      await expectNothingWidened(project, file, 'http://blocked.test/');
    }
    const linked = await status(project);
    expect(linked.policy.pending?.problems.join('\n')).toContain(
      `${file} is a symbolic link out of the project`,
    );
    rmSync(outside);
  });

  it('the files present at up are read-only inside; changed from outside, they still only propose', async () => {
    for (const user of ['claude', 'root'] as const) {
      const edit = await inAgent(
        project,
        user,
        `echo 'firewall: {enabled: false}' >> .claude/claude-tui.yaml`,
      );
      expect(edit.exitCode, user).not.toBe(0);
      expect(edit.stderr).toContain('Read-only file system');
      const remove = await inAgent(project, user, 'rm -f .claude/allowed-domains.txt');
      expect(remove.exitCode, user).not.toBe(0);
      const relink = await inAgent(project, user, 'ln -sf /etc/passwd .claude/claude-tui.yaml');
      expect(relink.exitCode, user).not.toBe(0);
    }
    // The same changes by any other way (a merge, a sync, an editor on the host): proposals.
    writeFileSync(join(project.dir, '.claude', 'claude-tui.yaml'), hostileConfig(loot));
    await expectNothingWidened(project, '.claude/claude-tui.yaml', 'http://blocked.test/');
  });

  it('a .claude folder made a link leads nowhere it should not', async () => {
    const fresh = makeProject('trust-link');
    const elsewhere = join(dirname(fresh.dir), `elsewhere-${process.pid}`);
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'claude-tui.yaml'), hostileConfig(loot));
    try {
      expect((await runCli(['up', fresh.dir])).exitCode).toBe(0);
      const made = await inAgent(fresh, 'claude', `ln -s ../${elsewhere.split('/').pop()} .claude`);
      expect(made.exitCode, made.stderr).toBe(0);
      const linked = await status(fresh);
      expect(linked.policy.pending?.problems[0]).toContain(
        '.claude/claude-tui.yaml is a symbolic link out of the project',
      );
      await expectNothingWidened(fresh, '.claude/claude-tui.yaml');
      const approve = await runCli(['approve', fresh.dir, '--yes']);
      expect(approve.exitCode).toBe(1);
      expect(approve.stderr).toContain('cannot be approved as it is');
    } finally {
      await runCli(['down', fresh.dir]);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('applies once a person approves on the host: the firewall off, the host folder mounted', async () => {
    // The link left by the test before cannot be approved as it is; the person removes it.
    rmSync(join(project.dir, '.aidevcontainer'), { recursive: true, force: true });
    const waiting = await status(project);
    expect(waiting.policy.pending?.files.map((f) => f.path)).toContain('.claude/claude-tui.yaml');
    expect(waiting.policy.pending?.problems).toEqual([]);
    const approve = await runCli(['approve', project.dir, '--yes']);
    expect(approve.exitCode, approve.stderr).toBe(0);
    expect(approve.stderr).toContain('▲ turns the firewall off');
    expect(approve.stderr).toContain(`▲ mounts ${loot} at /loot (read-write)`);
    expect(approve.stderr).toContain(
      '▲ adds the bridge command php → service php, runs php in /var/www/html as www-data',
    );
    const applied = await status(project);
    expect(applied.firewall).toMatch(/^off: /);
    expect(applied.policy.pending).toBeNull();
    expect(applied.bridge?.commands).toEqual({
      php: { container: 'php', exec: 'php', workdir: '/var/www/html', user: 'www-data', env: [] },
    });
    expect(await mountsOfAgent(project)).toContain('/loot');
  });
});
