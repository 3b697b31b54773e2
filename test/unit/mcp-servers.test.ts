import { describe, expect, it } from 'vitest';
import { parseProjectConfig } from '../../src/config/load-project-config.js';
import { claudeMcpServers, mcpHostPorts } from '../../src/config/mcp-servers.js';
import type { ProjectConfig } from '../../src/config/project-config-schema.js';
import { ConfigError } from '../../src/errors.js';
import { buildPolicy } from '../../src/firewall/policy.js';
import { allowsHost, classifyChange } from '../../src/policy/classify-change.js';
import { mcpReachNotes } from '../../src/policy/mcp-changes.js';
import { effectivePolicy } from '../support/effective-policy.js';

const FILE = '/project/.claude/claude-tui.yaml';

async function configError(text: string): Promise<ConfigError> {
  const error: unknown = await parseProjectConfig(FILE, text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const policy = effectivePolicy;

const texts = (changes: { kind: string; text: string }[]) =>
  changes.filter((c) => c.kind === 'mcp').map((c) => c.text);

const ALL_KINDS = [
  'mcp:',
  '  fs:',
  '    command: mcp-fs',
  '    args: [--root, /workspace]',
  '    env: { LOG_LEVEL: info }',
  '  docs:',
  '    url: https://mcp.example.com/mcp',
  '  events:',
  '    url: https://events.example.com/sse',
  '    type: sse',
  '  browser:',
  '    host: true',
  '    port: 8931',
  '  tools:',
  '    url: http://host.docker.internal:9000/rpc',
  '  lint:',
  '    host: true',
  '    port: 7000',
  '    path: /v1/mcp',
  '    type: sse',
  '',
].join('\n');

describe('mcp: in the project config', () => {
  it('takes the three kinds of server and says what Claude Code gets for each', async () => {
    const config = await parseProjectConfig(FILE, ALL_KINDS);
    expect(claudeMcpServers(config)).toEqual({
      fs: { type: 'stdio', command: 'mcp-fs', args: ['--root', '/workspace'], env: { LOG_LEVEL: 'info' } },
      docs: { type: 'http', url: 'https://mcp.example.com/mcp' },
      events: { type: 'sse', url: 'https://events.example.com/sse' },
      browser: { type: 'http', url: 'http://host.docker.internal:8931/mcp' },
      tools: { type: 'http', url: 'http://host.docker.internal:9000/rpc' },
      lint: { type: 'sse', url: 'http://host.docker.internal:7000/v1/mcp' },
    });
    expect(mcpHostPorts(config)).toEqual([8931, 9000, 7000]);
  });

  it('opens the host ports of servers on the host beside firewall.hostPorts, once each', () => {
    const firewall = buildPolicy({
      config: { hostPorts: [9000, 3000] },
      projectEntries: [],
      mcpHostPorts: [8931, 9000],
      registryHosts: [],
      githubRanges: undefined,
    });
    expect(firewall.hostPorts).toEqual([3000, 8931, 9000]);
  });

  it('takes a url on host.docker.internal without a port as the scheme’s port on the host', async () => {
    const config = await parseProjectConfig(FILE, 'mcp:\n  a: { url: "https://host.docker.internal/mcp" }\n');
    expect(mcpHostPorts(config)).toEqual([443]);
  });

  it.each([
    ['mcp:\n  a: {}\n', 'mcp.a: a server needs command', '2:6'],
    ['mcp:\n  a:\n    command: x\n    url: https://a.test/\n', 'mcp.a.url: cannot go with command', '4:10'],
    ['mcp:\n  a:\n    host: true\n', 'mcp.a.port: the port the server listens on', '3:5'],
    ['mcp:\n  a:\n    host: true\n    port: 70000\n', 'mcp.a.port: ', '4:11'],
    [
      'mcp:\n  a:\n    url: https://a.test/\n    port: 80\n',
      'mcp.a.port: only for a server with host: true',
      '4:11',
    ],
    [
      'mcp:\n  a:\n    host: true\n    port: 80\n    args: [x]\n',
      'mcp.a.args: only for a server with command',
      '5:11',
    ],
    [
      'mcp:\n  a:\n    command: x\n    type: http\n',
      'mcp.a.type: only for a server with url or host: true',
      '4:11',
    ],
    ['mcp:\n  a:\n    url: ftp://a.test/\n', 'mcp.a.url: an http(s) URL', '3:10'],
    ['mcp:\n  a:\n    url: https://a.test/\n    type: ws\n', 'mcp.a.type: http or sse', '4:11'],
    ['mcp:\n  a:\n    host: true\n    port: 80\n    path: mcp\n', 'mcp.a.path: a path on the server', '5:11'],
    // A bad name is placed at its value, as the loader places every bad record key.
    [
      'mcp:\n  a:\n    command: x\n    env: { 1BAD: y }\n',
      'mcp.a.env.1BAD: an environment variable name',
      '4:18',
    ],
    ['mcp:\n  a:\n    command: x\n    cmd: y\n', 'mcp.a: unknown key cmd', '3:5'],
    ['mcp:\n  "bad name":\n    command: x\n', 'mcp.bad name: an MCP server name', '3:5'],
    ['mcp: [a]\n', 'mcp: ', '1:6'],
  ])('reports %j with the key path and line', async (text, message, location) => {
    const error = await configError(text);
    expect(error.message).toContain(message);
    expect(error.location).toBe(location);
    expect(error.message.startsWith(`${FILE}:${location}: `)).toBe(true);
  });
});

describe('MCP servers in a policy change', () => {
  const host = { mcp: { browser: { host: true, port: 8931 } } };

  it('widens for a new server, saying what it runs or reaches and which host port it opens', () => {
    const result = classifyChange(
      policy(),
      policy({
        mcp: { ...host.mcp, fs: { command: 'mcp-fs', args: ['-v'], env: { A: '1' } } },
      }),
    );
    expect(texts(result.widens)).toEqual([
      'adds the MCP server browser: http://host.docker.internal:8931/mcp (http) on your machine, opening port 8931 on the host',
      'adds the MCP server fs: runs mcp-fs -v in the agent container (env A)',
    ]);
    expect(result.narrows).toEqual([]);
  });

  it('widens for a changed port, command, argument, env value or url; narrows for a removal', () => {
    const changes: [ProjectConfig, ProjectConfig][] = [
      [host, { mcp: { browser: { host: true, port: 8932 } } }],
      [{ mcp: { a: { command: 'x' } } }, { mcp: { a: { command: 'y' } } }],
      [{ mcp: { a: { command: 'x', args: ['1'] } } }, { mcp: { a: { command: 'x', args: ['2'] } } }],
      [{ mcp: { a: { command: 'x', env: { A: '1' } } } }, { mcp: { a: { command: 'x', env: { A: '2' } } } }],
      [{ mcp: { a: { url: 'https://a.test/' } } }, { mcp: { a: { url: 'https://b.test/' } } }],
      [{ mcp: { a: { url: 'https://a.test/' } } }, { mcp: { a: { url: 'https://a.test/', type: 'sse' } } }],
    ];
    for (const [was, now] of changes) {
      const result = classifyChange(policy(was), policy(now));
      expect(texts(result.widens), JSON.stringify(now)).toHaveLength(1);
      expect(texts(result.widens)[0]).toMatch(/^changes the MCP server /);
      expect(result.narrows).toEqual([]);
    }
    const removed = classifyChange(policy(host), policy());
    expect(removed.widens).toEqual([]);
    expect(texts(removed.narrows)).toEqual(['removes the MCP server browser']);
  });

  it('sees nothing when the servers are the same, written another way', () => {
    const was = policy({ mcp: { browser: { host: true, port: 8931 } } });
    const now = policy({ mcp: { browser: { url: 'http://host.docker.internal:8931/mcp', type: 'http' } } });
    expect(classifyChange(was, now)).toEqual({ widens: [], narrows: [] });
  });

  it('warns of a remote server the allowlist does not reach, and not of one it does', () => {
    const remote = { mcp: { docs: { url: 'https://mcp.docs.test/mcp' } } };
    const unreachable = classifyChange(policy(), policy(remote));
    expect(texts(unreachable.widens)).toEqual([
      'adds the MCP server docs: https://mcp.docs.test/mcp (http) (warning: the allowlist does not allow mcp.docs.test, so the agent cannot reach it)',
    ]);
    expect(texts(classifyChange(policy(), policy(remote, 'docs.test\n')).widens)).toEqual([
      'adds the MCP server docs: https://mcp.docs.test/mcp (http)',
    ]);
    expect(mcpReachNotes(remote, (h) => allowsHost(policy(remote), h))).toEqual([
      'The MCP server docs is at mcp.docs.test, which the allowlist does not allow: the agent cannot reach it. Add mcp.docs.test to .claude/allowed-domains.txt (claude-tui allow add).',
    ]);
    expect(mcpReachNotes(remote, (h) => allowsHost(policy(remote, 'mcp.docs.test\n'), h))).toEqual([]);
  });

  it('reaches by address only through a range, and always with the firewall off or on loopback', () => {
    expect(allowsHost(policy({}, '203.0.113.0/24\n'), '203.0.113.7')).toBe(true);
    expect(allowsHost(policy({}, '203.0.113.0/24\n'), '198.51.100.7')).toBe(false);
    expect(allowsHost(policy({}, '2001:db8::/32\n'), '2001:db8::1')).toBe(true);
    expect(allowsHost(policy(), 'api.github.com')).toBe(true);
    expect(allowsHost(policy({ firewall: { defaults: false } }), 'api.github.com')).toBe(false);
    expect(allowsHost(policy({ firewall: { enabled: false } }), 'anything.test')).toBe(true);
    const local = { mcp: { a: { url: 'http://localhost:3000/mcp' }, b: { url: 'http://[::1]:3000/' } } };
    expect(mcpReachNotes(local, () => false)).toEqual([]);
  });
});
