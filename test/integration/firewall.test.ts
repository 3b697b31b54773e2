import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { fetchFromAgent } from '../support/agent-fetch.js';
import { docker, dockerAvailable, makeProject, runCli, waitFor } from '../support/cli.js';
import { writeFirewallTestFiles } from '../support/project-files.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';
import { execText } from '../../src/docker/exec.js';

const engine = createDockerEngine();

describe.skipIf(!dockerAvailable())('the egress firewall (real Docker Engine, the test’s own hosts)', () => {
  let net: TestNetwork;
  let project: ProjectIdentity;

  beforeAll(async () => {
    await buildTestHostsImage();
    net = await startTestNetwork(`ctui-test-fw-${process.pid}`, {
      allowed: ['allowed.test'],
      blocked: ['blocked.test'],
      check: ['check-blocked.test'],
    });
    project = makeProject('firewall');
    writeFirewallTestFiles(project, net);
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.stderr + up.stdout).toContain('protected:');
    expect(up.exitCode).toBe(0);
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
    await net.remove();
  });

  it('lets the agent reach an allowed name and says the project is protected', async () => {
    const allowed = await fetchFromAgent(project, 'http://allowed.test/');
    expect(allowed.code).toBe(0);
    expect(allowed.body).toBe('hello from allowed');
    const status = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as {
      firewall: string;
    };
    expect(status.firewall).toMatch(/^protected: 1 names, 0 ranges, applied /);
  });

  it('refuses a name that is not allowed without forwarding it upstream', async () => {
    const blocked = await fetchFromAgent(project, 'http://blocked.test/');
    expect(blocked.code).toBe(6);
    expect(blocked.stderr).toContain('Could not resolve host');
    expect(await net.dnsLog()).not.toMatch(/query\[\w+\] blocked\.test/);
    expect(await net.dnsLog()).toMatch(/query\[A\] allowed\.test/);
  });

  it('refuses a blocked address fast, over IPv4 and IPv6, and the metadata address', async () => {
    for (const url of [
      `http://${await net.ip('blocked')}/`,
      `http://[${await net.ip('blocked', 6)}]/`,
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const result = await fetchFromAgent(project, url);
      expect(result.code, url).toBe(7);
      expect(result.seconds, url).toBeLessThan(0.5);
    }
    const v6 = await execText(engine, project.names.gateway, ['ip6tables', '-S', 'OUTPUT']);
    expect(v6.stdout).toContain('-P OUTPUT DROP');
  });

  it('keeps the agent away from Docker’s own resolver, even as root', async () => {
    const result = await execText(
      engine,
      project.names.agent,
      ['dig', '@127.0.0.11', 'blocked.test', '+timeout=1', '+retry=0'],
      {
        user: 'root',
      },
    );
    expect(result.stdout + result.stderr).not.toContain('status: NOERROR');
    expect(await net.dnsLog()).not.toMatch(/query\[\w+\] blocked\.test/);
  });

  it('lists what was refused, with counts', async () => {
    const blockedIp = await net.ip('blocked');
    await fetchFromAgent(project, 'http://blocked.test/');
    await fetchFromAgent(project, `http://${blockedIp}/`);
    type Refused = { kind: string; target: string; count: number; last: string };
    // Rejected packets reach the log through the kernel's NFLOG queue, within a second or so.
    const entries = await waitFor('the rejected connection in the refused list', async () => {
      const result = await runCli(['allow', 'refused', project.dir, '--json']);
      expect(result.exitCode).toBe(0);
      const list = JSON.parse(result.stdout) as Refused[];
      // This very connection: the tests before left refused connections of their own in the list.
      return list.some((e) => e.kind === 'connection' && e.target === `tcp ${blockedIp}.80`)
        ? list
        : undefined;
    });
    const name = entries.find((e) => e.kind === 'dns' && e.target === 'blocked.test');
    expect(name?.count).toBeGreaterThanOrEqual(1);
    expect(Date.parse(name!.last)).toBeGreaterThan(Date.now() - 10 * 60_000);
    const connection = entries.find((e) => e.kind === 'connection' && e.target === `tcp ${blockedIp}.80`);
    expect(connection?.count).toBeGreaterThanOrEqual(1);
    expect(Date.parse(connection!.last)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(entries.some((e) => e.target.includes('self-check'))).toBe(false);
  });

  it('applies allow add and allow rm to the running gateway without restarting anything', async () => {
    const before = await engine.inspectContainer(project.names.gateway);
    const agentBefore = await engine.inspectContainer(project.names.agent);
    const add = await runCli(['allow', 'add', 'blocked.test', '--project', project.dir]);
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toMatch(/added blocked\.test\nfirewall: protected: 2 names/);
    expect((await fetchFromAgent(project, 'http://blocked.test/')).body).toBe('hello from blocked');
    expect(readFileSync(join(project.dir, '.claude', 'allowed-domains.txt'), 'utf8')).toContain(
      'blocked.test',
    );

    const rm = await runCli(['allow', 'rm', 'blocked.test', '--project', project.dir]);
    expect(rm.exitCode).toBe(0);
    expect((await fetchFromAgent(project, 'http://blocked.test/')).code).toBe(6);
    const byAddress = await fetchFromAgent(project, `http://${await net.ip('blocked')}/`);
    expect(byAddress.code).toBe(7);

    const after = await engine.inspectContainer(project.names.gateway);
    const agentAfter = await engine.inspectContainer(project.names.agent);
    expect(after?.State.StartedAt).toBe(before?.State.StartedAt);
    expect(agentAfter?.State.StartedAt).toBe(agentBefore?.State.StartedAt);
  });

  it('forgets the addresses of a removed name at once, though the resolver had learned them', async () => {
    expect((await runCli(['allow', 'add', 'blocked.test', '--project', project.dir])).exitCode).toBe(0);
    // Resolved through the gateway's resolver: its address is now in the learned set.
    expect((await fetchFromAgent(project, 'http://blocked.test/')).body).toBe('hello from blocked');
    const learned = await execText(engine, project.names.gateway, ['ipset', 'list', 'ctui-dns4']);
    expect(learned.stdout).toContain(await net.ip('blocked'));

    const rm = await runCli(['allow', 'rm', 'blocked.test', '--project', project.dir]);
    expect(rm.exitCode, rm.stderr).toBe(0);
    const byAddress = await fetchFromAgent(project, `http://${await net.ip('blocked')}/`);
    expect(byAddress.code).toBe(7);
    expect(byAddress.seconds).toBeLessThan(1);
    const forgotten = await execText(engine, project.names.gateway, ['ipset', 'list', 'ctui-dns4']);
    expect(forgotten.stdout).not.toContain(await net.ip('blocked'));
    expect((await fetchFromAgent(project, 'http://allowed.test/')).code).toBe(0);
  });

  it('does not let root in the agent container change the rules or the resolver', async () => {
    const flush = await execText(engine, project.names.agent, ['iptables', '-F'], { user: 'root' });
    expect(flush.exitCode).not.toBe(0);
    const ipset = await execText(engine, project.names.agent, ['ipset', 'add', 'ctui-dns4', '1.2.3.4'], {
      user: 'root',
    });
    expect(ipset.exitCode).not.toBe(0);
    const resolv = await execText(
      engine,
      project.names.agent,
      ['sh', '-c', 'echo nameserver 127.0.0.11 > /etc/resolv.conf'],
      {
        user: 'root',
      },
    );
    expect(resolv.exitCode).not.toBe(0);
    expect(resolv.stderr).toContain('Read-only file system');
    expect((await fetchFromAgent(project, 'http://blocked.test/')).code).toBe(6);
  });

  it('does not apply an allowlist edited from inside the container, nor one edited outside claude-tui', async () => {
    const inside = await runCli([
      'exec',
      project.dir,
      '--',
      'sh',
      '-c',
      'echo blocked.test >> .claude/allowed-domains.txt',
    ]);
    expect(inside.exitCode).not.toBe(0);
    expect(inside.stderr).toContain('Read-only file system');

    // The same edit made on the host by something other than claude-tui: shown, not applied.
    const file = join(project.dir, '.claude', 'allowed-domains.txt');
    writeFileSync(file, readFileSync(file, 'utf8') + 'blocked.test\n');
    const apply = await runCli(['allow', 'apply', project.dir]);
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('+ blocked.test');
    expect(apply.stderr).toContain(`claude-tui approve ${project.dir}`);
    expect((await fetchFromAgent(project, 'http://blocked.test/')).code).toBe(6);

    const approve = await runCli(['allow', 'approve', project.dir]);
    expect(approve.exitCode).toBe(1);
    expect(approve.stderr).toContain('Pass --yes');
    const yes = await runCli(['allow', 'approve', project.dir, '--yes']);
    expect(yes.exitCode).toBe(0);
    expect((await fetchFromAgent(project, 'http://blocked.test/')).body).toBe('hello from blocked');
    await runCli(['allow', 'rm', 'blocked.test', '--project', project.dir]);
  });

  it('reports bad allowlist lines as file:line and changes nothing', async () => {
    const file = join(project.dir, '.claude', 'allowed-domains.txt');
    const good = readFileSync(file, 'utf8');
    const statusBefore = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as {
      firewall: string;
    };
    writeFileSync(file, `${good}bad;name.test\n10.0.0.1\n`);
    const result = await runCli(['allow', 'apply', project.dir, '--yes']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      '.claude/allowed-domains.txt:3: "bad;name.test" has characters a domain name cannot have',
    );
    expect(result.stderr).toContain(
      '.claude/allowed-domains.txt:4: "10.0.0.1" an IP address must be written as a CIDR',
    );
    const statusAfter = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as {
      firewall: string;
    };
    expect(statusAfter.firewall).toBe(statusBefore.firewall);
    expect((await fetchFromAgent(project, 'http://allowed.test/')).code).toBe(0);
    writeFileSync(file, good);
  });

  it('has the rules back after `docker restart` of the gateway and of the agent', async () => {
    for (const container of [project.names.gateway, project.names.agent]) {
      const agentBefore = await engine.inspectContainer(project.names.agent);
      await docker(['restart', '-t', '1', container]);
      await waitFor(
        `the project to be back after restarting ${container}`,
        async () => {
          const agent = await engine.inspectContainer(project.names.agent);
          if (!agent?.State.Running || agent.State.StartedAt === agentBefore?.State.StartedAt) return false;
          const probe = await fetchFromAgent(project, 'http://allowed.test/');
          return probe.code === 0;
        },
        60_000,
      );
      const status = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as {
        firewall: string;
      };
      expect(status.firewall).toMatch(/^protected: /);
      expect((await fetchFromAgent(project, 'http://blocked.test/')).code).toBe(6);
      expect((await fetchFromAgent(project, `http://${await net.ip('blocked')}/`)).code).toBe(7);
    }
  });

  it('has an allowed host answer on the first try right after `docker restart` of the gateway and up', async () => {
    await docker(['restart', '-t', '1', project.names.gateway]);
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain("restarted the agent inside the gateway's new network namespace");
    const first = await fetchFromAgent(project, 'http://allowed.test/');
    expect(first.code, first.stderr).toBe(0);
    expect(first.body).toBe('hello from allowed');
    const status = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as { state: string };
    expect(status.state).toBe('up');
  });

  it('does not call a project up while its agent sits in the gateway’s old namespace', async () => {
    const stale = async () => {
      const [gateway, agent] = await Promise.all([
        engine.inspectContainer(project.names.gateway),
        engine.inspectContainer(project.names.agent),
      ]);
      return Boolean(agent?.State.Running && gateway && agent.State.StartedAt < gateway.State.StartedAt);
    };
    // The agent rejoins by itself within seconds; a status asked while it has not (seen so before
    // and after the question) must not say up.
    let seen: { state: string; stateReason?: string } | undefined;
    for (let attempt = 0; attempt < 3 && !seen; attempt++) {
      await docker(['restart', '-t', '1', project.names.gateway]);
      const before = await stale();
      const status = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as typeof seen;
      if (before && (await stale())) seen = status;
    }
    expect(seen?.state).toBe('rejoining');
    expect(seen?.stateReason).toContain('old network namespace');
    expect((await runCli(['up', project.dir])).exitCode).toBe(0);
    const after = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as { state: string };
    expect(after.state).toBe('up');
  });

  it('is off only when the project config says so', async () => {
    const open = makeProject('firewall-off');
    writeFirewallTestFiles(open, net, '  enabled: false');
    try {
      const up = await runCli(['up', open.dir, '--yes']);
      expect(up.exitCode).toBe(0);
      const status = JSON.parse((await runCli(['status', open.dir, '--json'])).stdout) as {
        firewall: string;
      };
      expect(status.firewall).toMatch(/^off: /);
      expect((await fetchFromAgent(open, `http://${await net.ip('blocked')}/`)).body).toBe(
        'hello from blocked',
      );
    } finally {
      await runCli(['down', open.dir]);
    }
  });
});
