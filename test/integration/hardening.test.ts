import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { CLI, docker, dockerAvailable, makeProject, runCli, testEnv } from '../support/cli.js';
import { execText } from '../../src/docker/exec.js';

const engine = createDockerEngine();

/** Capability bits in /proc/<pid>/status CapEff (linux/capability.h). */
const CAP = { NET_ADMIN: 12, NET_RAW: 13, SYS_ADMIN: 21 } as const;

function capabilities(status: string): bigint {
  const hex = /CapEff:\s*([0-9a-f]+)/.exec(status)?.[1];
  if (!hex) throw new Error(`no CapEff in ${status}`);
  return BigInt(`0x${hex}`);
}

const has = (caps: bigint, bit: number) => (caps & (1n << BigInt(bit))) !== 0n;

describe.skipIf(!dockerAvailable())('the agent container is locked down (real Docker Engine)', () => {
  let project: ProjectIdentity;

  beforeAll(async () => {
    project = makeProject('hardening');
    expect((await runCli(['up', project.dir])).exitCode).toBe(0);
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
  });

  it('cannot touch the firewall even as root: iptables fails, no NET_ADMIN/NET_RAW/SYS_ADMIN', async () => {
    const iptables = await execText(engine, project.names.agent, ['iptables', '-L'], { user: 'root' });
    expect(iptables.exitCode).not.toBe(0);
    expect(iptables.stderr).toMatch(/Permission denied|not permitted/);

    const status = await execText(engine, project.names.agent, ['cat', '/proc/self/status'], {
      user: 'root',
    });
    const caps = capabilities(status.stdout);
    expect(has(caps, CAP.NET_ADMIN)).toBe(false);
    expect(has(caps, CAP.NET_RAW)).toBe(false);
    expect(has(caps, CAP.SYS_ADMIN)).toBe(false);
    expect(status.stdout).toMatch(/NoNewPrivs:\s*1/);
  });

  it('runs the agent user with no capabilities at all', async () => {
    const status = await execText(engine, project.names.agent, ['cat', '/proc/self/status'], {
      user: 'claude',
    });
    expect(capabilities(status.stdout)).toBe(0n);
  });

  it('gives the gateway the network capabilities the agent lacks', async () => {
    const status = await execText(engine, project.names.gateway, ['cat', '/proc/self/status']);
    const caps = capabilities(status.stdout);
    expect(has(caps, CAP.NET_ADMIN)).toBe(true);
    expect(has(caps, CAP.NET_RAW)).toBe(true);
  });

  it('has no sudo and no setuid or setgid file in the image', async () => {
    const setuid = await execText(
      engine,
      project.names.agent,
      ['find', '/', '-xdev', '-type', 'f', '-perm', '/6000'],
      {
        user: 'root',
      },
    );
    expect(setuid.exitCode).toBe(0);
    expect(setuid.stdout.trim()).toBe('');
    const sudo = await execText(engine, project.names.agent, ['sh', '-c', 'command -v sudo || echo none']);
    expect(sudo.stdout.trim()).toBe('none');
  });

  it('has the tools the design lists', async () => {
    const tools = [
      'tini',
      'tmux',
      'git',
      'iptables',
      'ip6tables',
      'ipset',
      'dnsmasq',
      'ip',
      'dig',
      'curl',
      'jq',
      'ssh',
      'less',
      'ps',
      'bash',
    ];
    const result = await execText(engine, project.names.agent, [
      'sh',
      '-c',
      tools.map((t) => `command -v ${t} >/dev/null || echo missing:${t}`).join(';'),
    ]);
    expect(result.stdout.trim()).toBe('');
  });

  it('survives ten exec commands in a row, Ctrl+C included, with the containers left running', async () => {
    const before = await engine.inspectContainer(project.names.agent);
    for (let i = 0; i < 10; i++) {
      if (i % 2 === 0) {
        const code = await interruptInTerminal(project.dir);
        expect(code).toBe(130);
      } else {
        const result = await runCli(['exec', project.dir, '--', 'sh', '-c', `exit ${i}`]);
        expect(result.exitCode).toBe(i);
      }
    }
    const after = await engine.inspectContainer(project.names.agent);
    const gateway = await engine.inspectContainer(project.names.gateway);
    expect(after?.State.Running).toBe(true);
    expect(gateway?.State.Running).toBe(true);
    expect(after?.State.StartedAt).toBe(before?.State.StartedAt);
    expect(after?.RestartCount).toBe(before?.RestartCount);
    const leftovers = await docker([
      'exec',
      project.names.agent,
      'sh',
      '-c',
      'ps -eo args | grep -c "^sleep 60$" || true',
    ]);
    expect(Number(leftovers.stdout)).toBe(0);
  });
});

/** `claude-tui exec -- sleep 60` in a real terminal, then Ctrl+C typed into it. */
function interruptInTerminal(projectDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const term = pty.spawn(
      process.execPath,
      [CLI, 'exec', projectDir, '--', 'sh', '-c', 'echo started; exec sleep 60'],
      {
        cols: 80,
        rows: 24,
        env: { ...process.env, ...testEnv(), TERM: 'xterm-256color' },
      },
    );
    let output = '';
    let sent = false;
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`no exit after Ctrl+C; output: ${output}`));
    }, 30_000);
    term.onData((data) => {
      output += data;
      if (!sent && output.includes('started')) {
        sent = true;
        term.write('\x03');
      }
    });
    term.onExit(({ exitCode }) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
}
