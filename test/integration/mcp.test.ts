import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import { reloadFirewall } from '../../src/firewall/gateway-control.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { fetchFromAgent } from '../support/agent-fetch.js';
import { dockerAvailable, makeProject, runCli } from '../support/cli.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from '../support/project-files.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';

const engine = createDockerEngine();

/** A stand-in for an MCP server on the person's machine: on every interface, it says its name. */
async function hostServer(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end(`hello from ${name}`));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

type ClaudeJson = { mcpServers?: Record<string, unknown>; numStartups?: number };

/** The person's own settings, as Claude Code keeps them in the home volume. */
const PERSONS_OWN: ClaudeJson = {
  numStartups: 7,
  mcpServers: { mine: { type: 'stdio', command: 'my-own-server', args: [], env: {} } },
};

describe.skipIf(!dockerAvailable())('MCP servers (real Engine; the test’s own servers on the host)', () => {
  let listed: Awaited<ReturnType<typeof hostServer>>;
  let other: Awaited<ReturnType<typeof hostServer>>;
  let net: TestNetwork;
  let project: ProjectIdentity;

  const inAgent = (user: 'claude' | 'root', script: string) =>
    execText(engine, project.names.agent, ['sh', '-c', script], { user });
  const claudeJson = async (): Promise<ClaudeJson> =>
    JSON.parse((await inAgent('claude', 'cat ~/.claude.json')).stdout) as ClaudeJson;
  const writeClaudeJson = async (text: string) => {
    const result = await execText(engine, project.names.agent, ['sh', '-c', 'cat >~/.claude.json'], {
      user: 'claude',
      input: text,
    });
    expect(result.exitCode).toBe(0);
  };
  const hostUrl = (port: number, path = '/') => `http://host.docker.internal:${port}${path}`;
  const writeConfig = (mcp: string[]) =>
    writePolicyFiles(project, {
      config: [
        ...FAKE_AGENT_CONFIG,
        'firewall:',
        '  defaults: false',
        `  dnsUpstream: ${net.dnsIp}`,
        '  selfCheck: { blocked: [], allowed: [] }',
        `networks: [${net.name}]`,
        ...mcp,
        '',
      ].join('\n'),
      allowlist: '',
    });
  const withServers = () => [
    'mcp:',
    `  browser: { host: true, port: ${listed.port} }`,
    // On the host's port 80, by url: the port a decoy on the test network listens on too.
    '  probe: { url: "http://host.docker.internal/mcp" }',
    // A remote one, on a name the allowlist does not have.
    '  docs: { url: "http://decoy.test/mcp", type: sse }',
  ];
  const startAndStop = async (name: string) => {
    const start = await runCli(['start', project.dir, '--name', name]);
    expect(start.exitCode, start.stderr).toBe(0);
    expect((await runCli(['stop', name, '--project', project.dir])).exitCode).toBe(0);
  };
  const gatewayRules = async () =>
    (await execText(engine, project.names.gateway, ['iptables', '-S', 'OUTPUT'])).stdout;

  beforeAll(async () => {
    [listed, other] = await Promise.all([hostServer('listed'), hostServer('other')]);
    await buildTestHostsImage();
    net = await startTestNetwork(`ctui-test-mcp-${process.pid}`, { decoy: ['decoy.test'] });
    project = makeProject('mcp');
    writeConfig([]);
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    await writeClaudeJson(JSON.stringify(PERSONS_OWN));
  });

  afterAll(async () => {
    await runCli(['down', project.dir]);
    await net.remove();
    listed.server.close();
    other.server.close();
  });

  it('opens no port and writes no setting for an mcp: nobody approved', async () => {
    writeConfig(withServers());
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('adds the MCP server browser');
    expect((await runCli(['allow', 'apply', project.dir])).exitCode).toBe(1);
    await startAndStop('unapproved');

    expect((await fetchFromAgent(project, hostUrl(listed.port))).code).toBe(7);
    expect(await gatewayRules()).not.toContain(`--dport ${listed.port}`);
    expect(await claudeJson()).toEqual(PERSONS_OWN);
  });

  it('once approved, reaches the listed host port only, and names the server beside the person’s own', async () => {
    const approve = await runCli(['approve', project.dir, '--yes']);
    expect(approve.exitCode, approve.stderr).toBe(0);
    const up = await runCli(['up', project.dir]);
    expect(up.stderr).toContain(
      'The MCP server docs is at decoy.test, which the allowlist does not allow: the agent cannot reach it.',
    );

    expect((await fetchFromAgent(project, hostUrl(listed.port))).body).toBe('hello from listed');
    // The other server is there, and answers on the host, but not to the agent.
    expect(await (await fetch(`http://127.0.0.1:${other.port}/`)).text()).toBe('hello from other');
    const refused = await fetchFromAgent(project, hostUrl(other.port));
    expect(refused.code).toBe(7);
    expect(refused.seconds).toBeLessThan(0.5);

    expect(await claudeJson()).toEqual({
      numStartups: 7,
      mcpServers: {
        ...PERSONS_OWN.mcpServers,
        browser: { type: 'http', url: hostUrl(listed.port, '/mcp') },
        probe: { type: 'http', url: 'http://host.docker.internal/mcp' },
        docs: { type: 'sse', url: 'http://decoy.test/mcp' },
      },
    });
  });

  it('starts every session with the approved servers, whatever the agent did to its settings', async () => {
    const tamper = await inAgent(
      'claude',
      `jq 'del(.mcpServers.browser) | .mcpServers.probe.url = "http://elsewhere.test/"' ~/.claude.json >/tmp/c && mv /tmp/c ~/.claude.json`,
    );
    expect(tamper.exitCode, tamper.stderr).toBe(0);
    await startAndStop('again');
    const servers = (await claudeJson()).mcpServers ?? {};
    expect(servers.browser).toEqual({ type: 'http', url: hostUrl(listed.port, '/mcp') });
    // Changed by hand, it counts as the agent's own; ours is written under the same name.
    expect(servers.probe).toEqual({ type: 'http', url: 'http://host.docker.internal/mcp' });
    expect(servers.mine).toEqual(PERSONS_OWN.mcpServers?.mine);

    // Settings that are not JSON are left alone, and the session does not start without its servers.
    const good = (await inAgent('claude', 'cat ~/.claude.json')).stdout;
    await writeClaudeJson('{"mcpServers": {');
    const start = await runCli(['start', project.dir, '--name', 'broken']);
    expect(start.exitCode).toBe(1);
    expect(start.stderr).toContain('/home/claude/.claude.json');
    expect((await inAgent('claude', 'cat ~/.claude.json')).stdout).toBe('{"mcpServers": {');
    await writeClaudeJson(good);
  });

  it('opens host ports only where Docker said the host is, not where root in the agent points', async () => {
    const decoy = await net.ip('decoy');
    const hosts = (await inAgent('root', 'cat /etc/hosts')).stdout;
    try {
      const rewrite = await inAgent('root', `echo "${decoy} host.docker.internal" >/etc/hosts`);
      expect(rewrite.exitCode, rewrite.stderr).toBe(0);
      expect(await reloadFirewall(engine, project.names.gateway)).toMatch(/^protected/);
      expect((await fetchFromAgent(project, `http://${decoy}:80/`)).code).toBe(7);
      expect(await gatewayRules()).not.toContain(decoy);
    } finally {
      await execText(engine, project.names.agent, ['sh', '-c', 'cat >/etc/hosts'], {
        user: 'root',
        input: hosts,
      });
    }
  });

  it('takes a removed server away at once: its port closes, its entry goes, the person’s stays', async () => {
    writeConfig([]);
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('removes the MCP server browser');

    expect((await fetchFromAgent(project, hostUrl(listed.port))).code).toBe(7);
    expect(await gatewayRules()).not.toContain(`--dport ${listed.port}`);
    const after = await claudeJson();
    expect(after.mcpServers).toEqual({
      ...PERSONS_OWN.mcpServers,
      probe: { type: 'http', url: 'http://elsewhere.test/' },
    });

    // With no server of ours left, the file is not even read: a broken one stops nothing.
    await writeClaudeJson('not json');
    await startAndStop('none');
    expect((await inAgent('claude', 'cat ~/.claude.json')).stdout).toBe('not json');
  });
});
