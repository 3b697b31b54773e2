import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { docker } from './cli.js';

/**
 * The firewall tests' own hosts, on a Docker network of the test's own: HTTP servers with aliases
 * and a DNS server that logs every query it receives. Nothing points outside this machine.
 */
export const TEST_HOSTS_IMAGE = 'claude-tui-test-hosts:latest';
const TEST_LABEL = 'dev.claude-tui.test-host=true';

export interface TestNetwork {
  name: string;
  dnsIp: string;
  ip(container: string, family?: 4 | 6): Promise<string>;
  dnsLog(): Promise<string>;
  remove(): Promise<void>;
}

export async function buildTestHostsImage(): Promise<void> {
  const context = fileURLToPath(new URL('../fixtures/test-hosts', import.meta.url));
  await docker(['build', '-q', '-t', TEST_HOSTS_IMAGE, '--label', TEST_LABEL, context]);
}

/**
 * The test's network, with IPv6 on a /64 of its own: test files that run at the same time each
 * make one, and the Engine refuses a subnet another network holds ("Pool overlaps").
 */
async function createIpv6Network(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const subnet = `fd00:c1a0:${randomInt(1, 0xffff).toString(16)}::/64`;
    const created = await docker(
      ['network', 'create', '--label', TEST_LABEL, '--ipv6', '--subnet', subnet, name],
      { reject: attempt >= 5 },
    );
    if (created.exitCode === 0) return;
  }
}

/** Starts the network, one HTTP server per alias group, and the logging resolver. */
export async function startTestNetwork(
  name: string,
  servers: Record<string, string[]>,
  options: { restartWithEngine?: boolean } = {},
): Promise<TestNetwork> {
  // Hosts that must outlive a restart of the Docker Engine come back with it, as a real one would.
  const restart = options.restartWithEngine ? ['--restart', 'unless-stopped'] : [];
  await createIpv6Network(name);
  const containers: string[] = [];
  for (const [server, aliases] of Object.entries(servers)) {
    const container = `${name}-${server}`;
    await docker([
      'run',
      '-d',
      '--name',
      container,
      '--label',
      TEST_LABEL,
      ...restart,
      '--network',
      name,
      ...aliases.flatMap((alias) => ['--network-alias', alias]),
      '-e',
      `HOST_NAME=${server}`,
      TEST_HOSTS_IMAGE,
      'serve-http',
    ]);
    containers.push(container);
  }
  const dns = `${name}-dns`;
  await docker([
    'run',
    '-d',
    '--name',
    dns,
    '--label',
    TEST_LABEL,
    ...restart,
    '--network',
    name,
    TEST_HOSTS_IMAGE,
    'dnsmasq',
    '-k',
    '--log-queries',
    '--log-facility=-',
    '--no-resolv',
    '--no-hosts',
    '--server=127.0.0.11',
  ]);
  containers.push(dns);
  const ip = async (container: string, family: 4 | 6 = 4) => {
    const field = family === 4 ? 'IPAddress' : 'GlobalIPv6Address';
    const result = await docker([
      'inspect',
      '-f',
      `{{(index .NetworkSettings.Networks "${name}").${field}}}`,
      container,
    ]);
    return result.stdout;
  };
  return {
    name,
    dnsIp: await ip(dns),
    ip: (server, family) => ip(`${name}-${server}`, family),
    dnsLog: async () => {
      const result = await docker(['logs', dns]);
      return result.stdout + result.stderr;
    },
    remove: async () => {
      await docker(['rm', '-f', ...containers], { reject: false });
      await docker(['network', 'rm', name], { reject: false });
    },
  };
}
