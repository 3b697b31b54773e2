import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProjectConfig, PROJECT_CONFIG_FILE } from '../../src/config/load-project-config.js';
import { ConfigError } from '../../src/errors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const configFile = () => join(dir, PROJECT_CONFIG_FILE);

/** The config as the policy review reads it: the file's text, parsed. */
async function loadProjectConfig(projectDir: string) {
  const file = join(projectDir, PROJECT_CONFIG_FILE);
  return parseProjectConfig(file, await readFile(file, 'utf8'));
}

async function writeConfig(text: string): Promise<string> {
  const file = configFile();
  await mkdir(join(dir, '.claude'), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function configError(text: string): Promise<ConfigError> {
  const file = await writeConfig(text);
  const error: unknown = await loadProjectConfig(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.file).toBe(file);
  expect(configError.message.startsWith(`${file}:`)).toBe(true);
  return configError;
}

describe('the project config (parseProjectConfig)', () => {
  it('is .claude/claude-tui.yaml', () => {
    expect(PROJECT_CONFIG_FILE).toBe('.claude/claude-tui.yaml');
  });

  it('parses a valid file, filling in defaults', async () => {
    await writeConfig(
      [
        'image:',
        '  base: debian:bookworm-slim',
        '  agentVersion: 2.1.330',
        '  caCertificates: [certs/proxy.pem]',
        '  npmRegistry: https://npm.example.com/',
        'env:',
        '  FOO: bar',
        '  _UNDER: "1"',
        'firewall:',
        '  enabled: true',
        '  defaults: false',
        '  hostPorts: [5432, 6379]',
        '  dnsUpstream: 1.1.1.1',
        '  selfCheck:',
        '    blocked: [example.com:443]',
        '    allowed: [api.anthropic.com:443]',
        'networks: [shared-net]',
        'mounts:',
        '  - source: ../data',
        '    target: /data',
        '  - source: /cache',
        '    target: /cache',
        '    readOnly: false',
        '',
      ].join('\n'),
    );
    await expect(loadProjectConfig(dir)).resolves.toEqual({
      image: {
        base: 'debian:bookworm-slim',
        agentVersion: '2.1.330',
        caCertificates: ['certs/proxy.pem'],
        npmRegistry: 'https://npm.example.com/',
      },
      env: { FOO: 'bar', _UNDER: '1' },
      firewall: {
        enabled: true,
        defaults: false,
        hostPorts: [5432, 6379],
        dnsUpstream: '1.1.1.1',
        selfCheck: { blocked: ['example.com:443'], allowed: ['api.anthropic.com:443'] },
      },
      networks: ['shared-net'],
      mounts: [
        { source: '../data', target: '/data', readOnly: true },
        { source: '/cache', target: '/cache', readOnly: false },
      ],
    });
  });

  it('takes an empty file or one with only comments as {}', async () => {
    await writeConfig('');
    await expect(loadProjectConfig(dir)).resolves.toEqual({});
    await writeConfig('# nothing yet\n');
    await expect(loadProjectConfig(dir)).resolves.toEqual({});
  });

  it('reports a YAML syntax error with the file and a line:col', async () => {
    const error = await configError('env:\n  FOO: "unclosed\n');
    expect(error.message).toMatch(/claude-tui\.yaml:\d+:\d+: is not valid YAML: /);
    expect(error.location).toMatch(/^\d+:\d+$/);
  });

  it('reports duplicate keys as invalid YAML at the second key', async () => {
    const error = await configError('env:\n  A: x\n  A: y\n');
    expect(error.location).toBe('3:3');
    expect(error.message).toContain('is not valid YAML');
  });

  it('names an unknown top-level key', async () => {
    const error = await configError('env: {}\nimgae:\n  base: x\n');
    expect(error.message).toContain('unknown key imgae');
    expect(error.message).toContain('(top level)');
    expect(error.location).toBe('1:1');
  });

  it('names an unknown nested key and the line of the map that holds it', async () => {
    const error = await configError('image:\n  base: debian\nfirewall:\n  enabled: true\n  enable: false\n');
    expect(error.message).toContain('firewall: unknown key enable');
    expect(error.location.split(':')[0]).toBe('4');
  });

  it('names an invalid env variable name with its key path and line', async () => {
    const error = await configError('env:\n  GOOD: x\n  1BAD: x\n');
    expect(error.message).toContain('env.1BAD');
    expect(error.location.split(':')[0]).toBe('3');
  });

  // KNOWN BUG (see report): zod 4 nests the key's own message inside an invalid_key issue, so the
  // text says "Invalid key in record" instead of what is expected. Remove `.fails` once fixed.
  it('says what an env variable name must look like', async () => {
    const error = await configError('env:\n  1BAD: x\n');
    expect(error.message).toContain('an environment variable name');
  });

  it('names a non-string env value', async () => {
    const error = await configError('env:\n  FOO: 1\n');
    expect(error.message).toMatch(/env\.FOO: .*expected string/);
    expect(error.location).toBe('2:8');
  });

  it('names a relative mount target with its index and line', async () => {
    const error = await configError(
      'mounts:\n  - source: a\n    target: /fine\n  - source: b\n    target: relative\n',
    );
    expect(error.message).toContain('mounts.1.target: an absolute path inside the container');
    expect(error.location).toBe('5:13');
  });

  it('names a wrong type with what was expected', async () => {
    const error = await configError('firewall:\n  enabled: "yes"\n');
    expect(error.message).toMatch(/firewall\.enabled: .*expected boolean/);
    expect(error.location).toBe('2:12');
  });

  it('rejects an out-of-range host port at its position in the list', async () => {
    const error = await configError('firewall:\n  hostPorts: [80, 70000]\n');
    expect(error.message).toContain('firewall.hostPorts.1');
    expect(error.location).toBe('2:19');
  });

  it('rejects a non-http npm registry and a bad agent version with their own messages', async () => {
    expect((await configError('image:\n  npmRegistry: ftp://x\n')).message).toContain(
      'image.npmRegistry: an http(s) URL',
    );
    expect((await configError('image:\n  agentVersion: v2\n')).message).toContain(
      'image.agentVersion: a version such as 2.1.330, or latest',
    );
  });

  it('rejects a top level that is not a map', async () => {
    const error = await configError('- a\n- b\n');
    expect(error.message).toContain('(top level)');
    expect(error.location).toBe('1:1');
  });
});
