import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { LABEL, projectFilter } from '../../src/docker/labels.js';
import { execText } from '../../src/docker/exec.js';
import { hostUserFor } from '../../src/project/host-user.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { projectStateDir } from '../../src/project/project-state-dir.js';
import { fetchInContainer } from '../support/agent-fetch.js';
import { docker, dockerAvailable, makeProject, runCli, testEnv, waitFor } from '../support/cli.js';
import { TEST_ROOT } from '../support/docker-resources.js';
import { writeFirewallTestFiles } from '../support/project-files.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';

const engine = createDockerEngine();

/** Debian's docker-compose (1.29) is what this machine has; `docker compose` reads the same file. */
async function compose(file: string, name: string, args: string[]) {
  const result = await execa('docker-compose', ['-f', file, '-p', name, ...args], { reject: false });
  return { stdout: String(result.stdout).trim(), stderr: String(result.stderr), exitCode: result.exitCode };
}

/** What `up` made for the project, to the start times: nothing of it may change. */
async function projectSnapshot(project: ProjectIdentity) {
  const containers = await engine.listContainers(projectFilter(project.id));
  const inspected = await Promise.all(containers.map((c) => engine.inspectContainer(c.Id)));
  const volumes = await engine.listVolumes(projectFilter(project.id));
  const networks = await engine.listNetworks(projectFilter(project.id));
  const stateDir = projectStateDir(project, testEnv());
  const policy = readdirSync(join(stateDir, 'policy')).map((f) => [
    f,
    readFileSync(join(stateDir, 'policy', f), 'utf8'),
  ]);
  return {
    containers: inspected
      .map((c) => c && [c.Name, c.Id, c.State.Status, c.State.StartedAt, c.RestartCount])
      .sort(),
    volumes: volumes.map((v) => [v.Name, v.CreatedAt]).sort(),
    networks: networks.map((n) => [n.Name, n.Id]).sort(),
    policy,
    firewallStatus: readFileSync(join(stateDir, 'firewall-status'), 'utf8'),
  };
}

describe.skipIf(!dockerAvailable())(
  'claude-tui compose (real Engine, docker-compose, the test’s own hosts)',
  () => {
    let net: TestNetwork;
    let project: ProjectIdentity;
    let before: Awaited<ReturnType<typeof projectSnapshot>>;
    const file = join(TEST_ROOT, `compose-export-${process.pid}.yaml`);
    const name = `ctuitestcompose${process.pid}`;
    let gateway = '';
    let agent = '';

    beforeAll(async () => {
      await buildTestHostsImage();
      net = await startTestNetwork(`ctui-test-compose-${process.pid}`, {
        allowed: ['allowed.test'],
        blocked: ['blocked.test'],
        check: ['check-blocked.test'],
      });
      project = makeProject('compose');
      writeFirewallTestFiles(project, net);
      writeFileSync(join(project.dir, '.env'), 'API_KEY=do-not-show\n');
      const up = await runCli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
      before = await projectSnapshot(project);

      const exported = await runCli(['compose', project.dir, '--output', file]);
      expect(exported.exitCode, exported.stderr).toBe(0);
      expect(exported.stdout).toBe('');
      expect(exported.stderr).toContain(`to ${file}`);
      const started = await compose(file, name, ['up', '-d']);
      expect(started.exitCode, started.stderr).toBe(0);
      gateway = (await compose(file, name, ['ps', '-q', 'gateway'])).stdout;
      agent = (await compose(file, name, ['ps', '-q', 'agent'])).stdout;
      // The gateway applies the policy by itself at start: nothing of claude-tui runs in it.
      await waitFor('the composed gateway to apply its firewall', async () => {
        const status = await execText(engine, gateway, ['cat', '/run/claude-tui/firewall-status']);
        return status.stdout.startsWith('protected:');
      });
      await waitFor('the composed agent to be ready', async () => {
        return (await execText(engine, agent, ['test', '-e', '/run/claude-tui/ready'])).exitCode === 0;
      });
    });

    afterAll(async () => {
      await compose(file, name, ['down']);
      if (project) await runCli(['down', project.dir]);
      await net?.remove();
    });

    it('lets the composed agent reach an allowed name, and refuses any other without asking upstream', async () => {
      const allowed = await fetchInContainer(agent, 'http://allowed.test/');
      expect(allowed.code).toBe(0);
      expect(allowed.body).toBe('hello from allowed');
      const blocked = await fetchInContainer(agent, 'http://blocked.test/');
      expect(blocked.code).toBe(6);
      expect(blocked.stderr).toContain('Could not resolve host');
      expect(await net.dnsLog()).not.toMatch(/query\[\w+\] blocked\.test/);
    });

    it('refuses a blocked address fast over IPv4 and IPv6, and the metadata address', async () => {
      for (const url of [
        `http://${await net.ip('blocked')}/`,
        `http://[${await net.ip('blocked', 6)}]/`,
        'http://169.254.169.254/latest/meta-data/',
      ]) {
        const result = await fetchInContainer(agent, url);
        expect(result.code, url).toBe(7);
        expect(result.seconds, url).toBeLessThan(0.5);
      }
      const v6 = await execText(engine, gateway, ['ip6tables', '-S', 'OUTPUT']);
      expect(v6.stdout).toContain('-P OUTPUT DROP');
    });

    it('keeps the composed agent away from Docker’s own resolver, even as root', async () => {
      const result = await execText(
        engine,
        agent,
        ['dig', '@127.0.0.11', 'blocked.test', '+timeout=1', '+retry=0'],
        {
          user: 'root',
        },
      );
      expect(result.stdout + result.stderr).not.toContain('status: NOERROR');
      expect(await net.dnsLog()).not.toMatch(/query\[\w+\] blocked\.test/);
    });

    it('gives the composed agent no network capability, no new privileges, the mapped user and the shadows', async () => {
      const inspected = await engine.inspectContainer(agent);
      const gatewayInspected = await engine.inspectContainer(gateway);
      expect(inspected?.HostConfig.NetworkMode).toBe(`container:${gatewayInspected?.Id}`);
      expect(inspected?.HostConfig.CapDrop).toEqual(['ALL']);
      expect(inspected?.HostConfig.CapAdd?.filter((cap) => /NET/.test(cap))).toEqual([]);
      expect(inspected?.HostConfig.SecurityOpt).toContain('no-new-privileges');
      expect(inspected?.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
      expect(inspected?.Config.Labels?.[LABEL.managed]).toBe('compose');
      expect(inspected?.Config.Labels?.[LABEL.role]).toBe('agent');

      const iptables = await execText(engine, agent, ['iptables', '-S'], { user: 'root' });
      expect(iptables.exitCode).not.toBe(0);
      const status = await execText(
        engine,
        agent,
        ['grep', '-E', '^(CapBnd|NoNewPrivs)', '/proc/self/status'],
        {
          user: 'root',
        },
      );
      const bounding = BigInt(`0x${/CapBnd:\s*(\w+)/.exec(status.stdout)?.[1]}`);
      expect(bounding & (1n << 12n)).toBe(0n); // CAP_NET_ADMIN
      expect(bounding & (1n << 13n)).toBe(0n); // CAP_NET_RAW
      expect(status.stdout).toMatch(/NoNewPrivs:\s*1/);

      const { uid, gid } = hostUserFor(project.dir);
      const ids = await execText(engine, agent, ['id', '-u', 'claude']);
      expect(ids.stdout.trim()).toBe(String(uid));
      const processes = await execText(engine, agent, ['ps', '-eo', 'uid,gid,args']);
      expect(processes.stdout).toMatch(new RegExp(`^\\s*${uid}\\s+${gid}\\s+.*agent-wait`, 'm'));
      const secret = await execText(engine, agent, ['cat', '/workspace/.env'], { user: 'claude' });
      expect(secret).toMatchObject({ exitCode: 0, stdout: '' });
      const policyFile = await execText(engine, agent, ['touch', '/workspace/.claude/claude-tui.yaml'], {
        user: 'claude',
      });
      expect(policyFile.exitCode).not.toBe(0);
    });

    it('refuses to write the file where the agent can write it, even through a link', async () => {
      const inside = await runCli(['compose', project.dir, '--output', join(project.dir, 'compose.yaml')]);
      expect(inside.exitCode).toBe(1);
      expect(inside.stderr).toContain('which the agent can write');
      const link = join(TEST_ROOT, `compose-link-${process.pid}`);
      symlinkSync(project.dir, link);
      const through = await runCli(['compose', project.dir, '--output', join(link, 'compose.yaml')]);
      expect(through.exitCode).toBe(1);
      expect(existsSync(join(project.dir, 'compose.yaml'))).toBe(false);
    });

    it('goes down with compose and leaves the project as up made it', async () => {
      const down = await compose(file, name, ['down']);
      expect(down.exitCode, down.stderr).toBe(0);
      expect(await engine.inspectContainer(agent)).toBeUndefined();
      expect(await engine.inspectContainer(gateway)).toBeUndefined();
      expect(await projectSnapshot(project)).toEqual(before);
      const status = JSON.parse((await runCli(['status', project.dir, '--json'])).stdout) as {
        state: string;
      };
      expect(status.state).toBe('up');
      const home = await docker(['volume', 'inspect', project.names.homeVolume]);
      expect(home.exitCode).toBe(0);
    });

    it('exports the approved policy only, and says that a change waits', async () => {
      const allowlist = join(project.dir, '.claude', 'allowed-domains.txt');
      writeFileSync(allowlist, `${readFileSync(allowlist, 'utf8')}blocked.test\n`);
      const exported = await runCli(['compose', project.dir]);
      expect(exported.exitCode, exported.stderr).toBe(0);
      expect(exported.stderr).toContain('not the change that waits');
      expect(exported.stdout).toContain('network_mode: "service:gateway"');
      const domains = readFileSync(
        join(projectStateDir(project, testEnv()), 'compose', 'policy', 'domains.txt'),
        'utf8',
      );
      expect(domains).toContain('allowed.test');
      expect(domains).not.toContain('blocked.test');
    });
  },
);
