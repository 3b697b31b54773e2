import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { LABEL } from '../../src/docker/labels.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, dockerAvailable, inTerminal, makeProject, runCli, waitFor } from '../support/cli.js';
import { execText } from '../../src/docker/exec.js';

const engine = createDockerEngine();

describe.skipIf(!dockerAvailable())('a project: up, down, status, exec (real Docker Engine)', () => {
  let project: ProjectIdentity;

  beforeAll(async () => {
    project = makeProject('lifecycle');
    const result = await runCli(['up', project.dir]);
    expect(result.stderr + result.stdout).toContain('is up');
    expect(result.exitCode).toBe(0);
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
  });

  it('creates a gateway, an agent, a network and a home volume, all labelled', async () => {
    const gateway = await engine.inspectContainer(project.names.gateway);
    const agent = await engine.inspectContainer(project.names.agent);
    const network = await engine.inspectNetwork(project.names.network);
    const home = await engine.inspectVolume(project.names.homeVolume);
    for (const [labels, role] of [
      [gateway?.Config.Labels, 'gateway'],
      [agent?.Config.Labels, 'agent'],
      [network?.Labels, 'network'],
      [home?.Labels, 'home'],
    ] as const) {
      expect(labels?.[LABEL.managed]).toBe('true');
      expect(labels?.[LABEL.role]).toBe(role);
      expect(labels?.[LABEL.project]).toBe(project.dir);
      expect(labels?.[LABEL.version]).toMatch(/^\d+\.\d+\.\d+/);
    }
    expect(gateway?.State.Running).toBe(true);
    expect(agent?.State.Running).toBe(true);
    expect(agent?.HostConfig.NetworkMode).toBe(`container:${gateway?.Id}`);
    expect(gateway?.HostConfig.NetworkMode).toBe(project.names.network);
    expect(agent?.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(gateway?.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(agent?.Mounts.find((m) => m.Destination === '/workspace')?.Source).toBe(project.dir);
    expect(agent?.Mounts.find((m) => m.Destination === '/home/claude')?.Name).toBe(project.names.homeVolume);
  });

  it('is a no-op the second time', async () => {
    const before = await engine.inspectContainer(project.names.agent);
    const again = await runCli(['up', project.dir, '--json']);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ changed: false, imageBuilt: false });
    const after = await engine.inspectContainer(project.names.agent);
    expect(after?.Id).toBe(before?.Id);
    expect(after?.State.StartedAt).toBe(before?.State.StartedAt);
  });

  it('shows the project in status and ls, with the firewall protected', async () => {
    const status = await runCli(['status', project.dir, '--json']);
    expect(status.exitCode).toBe(0);
    const parsed = JSON.parse(status.stdout) as { state: string; firewall: string; volumes: string[] };
    expect(parsed.state).toBe('up');
    expect(parsed.firewall).toMatch(/^protected: \d+ names/);
    expect(parsed.volumes).toEqual([project.names.homeVolume]);

    const list = await runCli(['ls', '--json']);
    const projects = (
      JSON.parse(list.stdout) as { engines: { projects: { dir: string; state: string }[] }[] }
    ).engines[0]!.projects;
    expect(projects.find((p) => p.dir === project.dir)?.state).toBe('up');
  });

  it('runs commands as claude in /workspace, with the exit code passed through', async () => {
    const who = await runCli(['exec', project.dir, '--', 'sh', '-c', 'echo "$(id -un) $(pwd) $HOME"']);
    expect(who.stdout.trim()).toBe('claude /workspace /home/claude');
    const failing = await runCli(['exec', project.dir, '--', 'sh', '-c', 'exit 7']);
    expect(failing.exitCode).toBe(7);
  });

  it('passes stdin through and closes it when ours ends', async () => {
    const result = await runCli(['exec', project.dir, '--', 'sh', '-c', 'tr a-z A-Z; echo done'], {
      input: 'piped text\n',
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('PIPED TEXT\ndone');
  });

  it('gives a command in a terminal the size of that terminal', async () => {
    const output = await inTerminal(['exec', project.dir, '--', 'stty', 'size'], { cols: 97, rows: 31 });
    expect(output).toContain('31 97');
  });

  it('maps claude to the UID/GID that owns the project, so files stay editable on the host', async () => {
    const result = await runCli([
      'exec',
      project.dir,
      '--',
      'sh',
      '-c',
      'mkdir -p out && echo hi > out/file.txt',
    ]);
    expect(result.exitCode).toBe(0);
    const file = statSync(join(project.dir, 'out', 'file.txt'));
    expect(file.uid).toBe(1234);
    expect(file.gid).toBe(1234);
  });

  it('answers `claude --version` inside the agent container', async () => {
    const result = await runCli(['exec', project.dir, '--', 'claude', '--version']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/\d+\.\d+\.\d+ \(Claude Code\)/);
  });

  it('keeps the home volume across down and up', async () => {
    await runCli([
      'exec',
      project.dir,
      '--',
      'sh',
      '-c',
      'echo kept > ~/.persist-check && echo "ls" >> ~/.bash_history',
    ]);
    const down = await runCli(['down', project.dir]);
    expect(down.exitCode).toBe(0);
    expect(await engine.inspectContainer(project.names.agent)).toBeUndefined();
    expect(await engine.inspectNetwork(project.names.network)).toBeUndefined();
    expect(await engine.inspectVolume(project.names.homeVolume)).toBeDefined();

    const up = await runCli(['up', project.dir]);
    expect(up.exitCode).toBe(0);
    const read = await runCli(['exec', project.dir, '--', 'cat', '/home/claude/.persist-check']);
    expect(read.stdout.trim()).toBe('kept');
  });

  it('comes back by itself after `docker restart` of the agent, with the entrypoint re-run', async () => {
    const before = await engine.inspectContainer(project.names.agent);
    await docker(['restart', '-t', '1', project.names.agent]);
    const after = await waitFor('the agent to be ready again', async () => {
      const state = await engine.inspectContainer(project.names.agent);
      const ready = await execText(engine, project.names.agent, ['cat', '/run/claude-tui/ready']);
      return state?.State.Running && ready.exitCode === 0 ? state : undefined;
    });
    expect(after.State.StartedAt).not.toBe(before?.State.StartedAt);
    const who = await runCli(['exec', project.dir, '--', 'id', '-u']);
    expect(who.stdout.trim()).toBe('1234');
  });

  it('comes back by itself after `docker restart` of the gateway: the agent rejoins its namespace', async () => {
    const agentBefore = await engine.inspectContainer(project.names.agent);
    await docker(['restart', '-t', '1', project.names.gateway]);
    // The agent notices it is left in the old namespace and exits; the restart policy brings it
    // back inside the new one.
    await waitFor(
      'the agent to rejoin the gateway',
      async () => {
        const agent = await engine.inspectContainer(project.names.agent);
        if (!agent?.State.Running || agent.State.StartedAt === agentBefore?.State.StartedAt) return undefined;
        const netdev = await execText(engine, project.names.agent, ['cat', '/proc/net/dev']);
        return /eth0:/.test(netdev.stdout);
      },
      45_000,
    );
    const status = await runCli(['status', project.dir, '--json']);
    expect((JSON.parse(status.stdout) as { state: string }).state).toBe('up');
    const echo = await runCli(['exec', project.dir, '--', 'echo', 'back']);
    expect(echo.stdout.trim()).toBe('back');
  });

  it('recreates an agent container removed behind its back', async () => {
    await docker(['rm', '-f', project.names.agent]);
    const exec = await runCli(['exec', project.dir, '--', 'true']);
    expect(exec.exitCode).toBe(1);
    expect(exec.stderr).toContain('agent container');
    expect(exec.stderr).toContain('missing');
    expect(exec.stderr).toContain('claude-tui up');
    const status = await runCli(['status', project.dir, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'partial', agent: null });

    const up = await runCli(['up', project.dir]);
    expect(up.exitCode).toBe(0);
    const who = await runCli(['exec', project.dir, '--', 'id', '-u']);
    expect(who.stdout.trim()).toBe('1234');
  });
});
