import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionError, sshError } from '../../src/docker/connection-error.js';
import { environmentForContext, resolveEngineTarget } from '../../src/docker/docker-context.js';
import { describeEndpoint, parseDockerHost, type DockerEndpoint } from '../../src/docker/endpoint.js';
import { sshArguments } from '../../src/docker/ssh-connection.js';
import { ConfigError, DockerUnavailableError, ExitCode } from '../../src/errors.js';

function failure(run: () => unknown): DockerUnavailableError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DockerUnavailableError);
    return error as DockerUnavailableError;
  }
  throw new Error('it was accepted');
}

describe('parseDockerHost', () => {
  it('reads unix, tcp and ssh addresses as the Docker CLI does', () => {
    const cases: [string, DockerEndpoint][] = [
      ['unix:///run/user/1000/docker.sock', { kind: 'socket', path: '/run/user/1000/docker.sock' }],
      ['  unix:///tmp/d.sock\n', { kind: 'socket', path: '/tmp/d.sock' }],
      ['unix://', { kind: 'socket', path: '/var/run/docker.sock' }],
      ['tcp://10.0.0.5:2376', { kind: 'tcp', host: '10.0.0.5', port: 2376 }],
      ['tcp://docker-host', { kind: 'tcp', host: 'docker-host', port: 2375 }],
      ['tcp://:2376', { kind: 'tcp', host: 'localhost', port: 2376 }],
      ['tcp://[::1]:2375', { kind: 'tcp', host: '::1', port: 2375 }],
      ['docker-host:80', { kind: 'tcp', host: 'docker-host', port: 80 }],
      ['http://docker.internal:12375', { kind: 'tcp', host: 'docker.internal', port: 12375 }],
      ['ssh://box', { kind: 'ssh', host: 'box' }],
      ['ssh://me@box:2222', { kind: 'ssh', host: 'box', user: 'me', port: 2222 }],
      [
        'ssh://me@box/run/user/1000/docker.sock',
        { kind: 'ssh', host: 'box', user: 'me', socketPath: '/run/user/1000/docker.sock' },
      ],
    ];
    for (const [value, endpoint] of cases)
      expect(parseDockerHost(value, 'DOCKER_HOST'), value).toEqual(endpoint);
  });

  it('puts TLS on a tcp address only', () => {
    const tls = { verify: true, from: '/certs' };
    expect(parseDockerHost('tcp://box:2376', 'DOCKER_HOST', tls)).toEqual({
      kind: 'tcp',
      host: 'box',
      port: 2376,
      tls,
    });
    expect(parseDockerHost('unix:///s', 'DOCKER_HOST', tls)).toEqual({ kind: 'socket', path: '/s' });
  });

  it('refuses what the Docker CLI refuses, naming the value and where it came from', () => {
    for (const value of [
      'npipe:////./pipe/docker_engine',
      'fd://3',
      'ssh://me:secret@box',
      'ssh://box?x=1',
      'ssh://',
    ]) {
      const error = failure(() => parseDockerHost(value, 'DOCKER_HOST'));
      expect(error.message).toContain(value);
      expect(error.message).toContain('DOCKER_HOST');
      expect(error.exitCode).toBe(ExitCode.dockerUnavailable);
    }
  });
});

describe('describeEndpoint', () => {
  it('gives a socket path, a tcp:// address with its TLS, or an ssh:// address', () => {
    expect(describeEndpoint({ kind: 'socket', path: '/var/run/docker.sock' })).toBe('/var/run/docker.sock');
    expect(describeEndpoint({ kind: 'tcp', host: 'h', port: 2375 })).toBe('tcp://h:2375');
    expect(describeEndpoint({ kind: 'tcp', host: '::1', port: 2376, tls: { verify: true, from: '' } })).toBe(
      'tcp://[::1]:2376 (TLS)',
    );
    expect(describeEndpoint({ kind: 'tcp', host: 'h', port: 2376, tls: { verify: false, from: '' } })).toBe(
      'tcp://h:2376 (TLS, not verified)',
    );
    expect(describeEndpoint({ kind: 'ssh', host: 'box', user: 'me', port: 22 })).toBe('ssh://me@box:22');
  });
});

/** A Docker CLI config folder with contexts written as `docker context create` writes them. */
function dockerConfig(
  contexts: Record<string, { host: string; skipVerify?: boolean; tls?: string[] }>,
  current?: string,
) {
  const dir = mkdtempSync(join(tmpdir(), 'ctui-docker-config-'));
  if (current !== undefined)
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
  for (const [name, context] of Object.entries(contexts)) {
    const id = createHash('sha256').update(name).digest('hex');
    mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      join(dir, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({
        Name: name,
        Metadata: {},
        Endpoints: { docker: { Host: context.host, SkipTLSVerify: context.skipVerify ?? false } },
      }),
    );
    if (context.tls) {
      const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
      mkdirSync(tlsDir, { recursive: true });
      for (const file of context.tls) writeFileSync(join(tlsDir, file), `${name} ${file}`);
    }
  }
  return dir;
}

describe('resolveEngineTarget', () => {
  const config = dockerConfig(
    {
      box: { host: 'tcp://box:2376', tls: ['ca.pem', 'cert.pem', 'key.pem'] },
      plain: { host: 'tcp://plain:2375' },
      loose: { host: 'tcp://loose:2376', skipVerify: true },
      shell: { host: 'ssh://me@shell' },
    },
    'plain',
  );
  const env = (more: NodeJS.ProcessEnv = {}) => ({ DOCKER_CONFIG: config, HOME: '/nonexistent', ...more });

  it('takes --context over DOCKER_HOST over DOCKER_CONTEXT over config.json, as the Docker CLI does', () => {
    const all = env({ DOCKER_HOST: 'unix:///host.sock', DOCKER_CONTEXT: 'shell' });
    expect(resolveEngineTarget(all, 'box')).toMatchObject({ context: 'box', chosenBy: '--context' });
    expect(resolveEngineTarget(all)).toEqual({
      endpoint: { kind: 'socket', path: '/host.sock' },
      context: 'default',
      chosenBy: 'DOCKER_HOST',
    });
    expect(resolveEngineTarget(env({ DOCKER_CONTEXT: 'shell' }))).toEqual({
      endpoint: { kind: 'ssh', host: 'shell', user: 'me' },
      context: 'shell',
      chosenBy: 'DOCKER_CONTEXT',
    });
    expect(resolveEngineTarget(env())).toEqual({
      endpoint: { kind: 'tcp', host: 'plain', port: 2375 },
      context: 'plain',
      chosenBy: 'config.json',
    });
  });

  it('reads a context’s TLS files from the store, and speaks TLS only when it has some or skips the check', () => {
    const { endpoint } = resolveEngineTarget(env(), 'box');
    expect(endpoint).toMatchObject({ kind: 'tcp', host: 'box', port: 2376, tls: { verify: true } });
    if (endpoint.kind !== 'tcp' || !endpoint.tls) throw new Error('no TLS');
    expect(endpoint.tls.ca?.toString()).toBe('box ca.pem');
    expect(endpoint.tls.cert?.toString()).toBe('box cert.pem');
    expect(endpoint.tls.key?.toString()).toBe('box key.pem');
    expect(endpoint.tls.from).toContain('Docker context "box"');
    expect(resolveEngineTarget(env(), 'loose').endpoint).toMatchObject({ tls: { verify: false } });
    expect(resolveEngineTarget(env(), 'plain').endpoint).not.toHaveProperty('tls');
  });

  it('makes `default` the environment’s Engine, whatever chose it', () => {
    expect(resolveEngineTarget(env({ DOCKER_HOST: 'tcp://h:1' }), 'default').endpoint).toEqual({
      kind: 'tcp',
      host: 'h',
      port: 1,
    });
    expect(resolveEngineTarget({ HOME: '/nonexistent', DOCKER_CONFIG: '/nonexistent' }).endpoint.kind).toBe(
      'socket',
    );
  });

  it('takes TLS for the default context from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const certs = mkdtempSync(join(tmpdir(), 'ctui-certs-'));
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, file), file);
    const target = resolveEngineTarget(
      env({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }),
    );
    expect(target.endpoint).toMatchObject({ kind: 'tcp', tls: { verify: true, from: certs } });
    // As the CLI: any value turns it on, and TLS without a host is the local TLS port.
    expect(
      resolveEngineTarget(env({ DOCKER_TLS_VERIFY: '0', DOCKER_CERT_PATH: certs }), 'default').endpoint,
    ).toMatchObject({
      kind: 'tcp',
      host: 'localhost',
      port: 2376,
    });
    const noCa = failure(() =>
      resolveEngineTarget(
        env({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent' }),
      ),
    );
    expect(noCa.message).toContain('no ca.pem in /nonexistent');
    expect(noCa.hint).toContain('DOCKER_CERT_PATH');
  });

  it('says which context does not exist and what named it', () => {
    const error = failure(() => resolveEngineTarget(env({ DOCKER_CONTEXT: 'nope' })));
    expect(error.message).toBe(`There is no Docker context "nope" (DOCKER_CONTEXT names it) in ${config}.`);
    expect(error.hint).toContain('docker context ls');
  });

  it('names the file of a malformed config.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctui-docker-config-'));
    writeFileSync(join(dir, 'config.json'), '{ nope');
    expect(() => resolveEngineTarget({ DOCKER_CONFIG: dir })).toThrow(ConfigError);
    expect(() => resolveEngineTarget({ DOCKER_CONFIG: dir })).toThrow(join(dir, 'config.json'));
  });
});

describe('environmentForContext', () => {
  it('hands our children the context --context chose, without a DOCKER_HOST that would outrank it', () => {
    const env = { DOCKER_HOST: 'tcp://h:1', PATH: '/bin' };
    expect(environmentForContext(env)).toBe(env);
    expect(environmentForContext(env, 'box')).toEqual({ DOCKER_CONTEXT: 'box', PATH: '/bin' });
    expect(environmentForContext(env, 'default')).toEqual({ ...env, DOCKER_CONTEXT: 'default' });
  });
});

describe('sshArguments', () => {
  it('runs docker system dial-stdio on the host, as the Docker CLI does, never asking anything', () => {
    expect(sshArguments({ kind: 'ssh', host: 'box', user: 'me', port: 2222 }, 10_000)).toEqual([
      '-l',
      'me',
      '-p',
      '2222',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'BatchMode=yes',
      '-T',
      '--',
      'box',
      'docker system dial-stdio',
    ]);
    expect(sshArguments({ kind: 'ssh', host: 'box', socketPath: "/run/it's.sock" }, 500).slice(-3)).toEqual([
      '--',
      'box',
      `docker '--host=unix:///run/it'\\''s.sock' system dial-stdio`,
    ]);
  });
});

describe('connectionError', () => {
  const socket: DockerEndpoint = { kind: 'socket', path: '/var/run/docker.sock' };
  const remote: DockerEndpoint = {
    kind: 'tcp',
    host: 'box',
    port: 2376,
    tls: { verify: true, from: '/certs' },
  };

  it('gives each cause its own message, all naming the endpoint', () => {
    const messages = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT'].map(
      (code) => connectionError(socket, code).message,
    );
    expect(new Set(messages).size).toBe(messages.length);
    for (const message of messages) expect(message).toContain('/var/run/docker.sock');
    const remoteMessages = [
      'ECONNREFUSED',
      'ENOTFOUND',
      'EHOSTUNREACH',
      'ETIMEDOUT',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'EWANTSTLS',
    ].map((code) => connectionError(remote, code, 10_000).message);
    expect(new Set(remoteMessages).size).toBe(remoteMessages.length);
  });

  it('says there is no socket for ENOENT, and to start Docker', () => {
    const error = connectionError(socket, 'ENOENT');
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(error.message).toMatch(/not running.*no Docker socket/);
    expect(error.hint).toMatch(/Start the Docker Engine/);
  });

  it('points at the docker group for EACCES and EPERM', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const error = connectionError(socket, code);
      expect(error.message).toMatch(/permission/i);
      expect(error.hint).toContain('usermod -aG docker');
    }
  });

  it('tells a remote Engine’s causes apart: nothing listening, a certificate, a timeout', () => {
    expect(connectionError(remote, 'ECONNREFUSED').hint).toContain('listens on port 2376');
    const certificate = connectionError(remote, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(certificate.message).toContain('failed the TLS check');
    expect(certificate.hint).toContain('/certs');
    expect(connectionError(remote, 'ETIMEDOUT', 10_000).message).toContain('did not answer within 10 s');
  });

  it('names an unexpected code, and leaves it out when there is none', () => {
    expect(connectionError(socket, 'EHOSTUNREACH').message).toContain('(EHOSTUNREACH)');
    expect(connectionError(socket, undefined).message).toBe(
      'Cannot reach the Docker Engine at /var/run/docker.sock.',
    );
  });

  it('exits with the docker-unavailable code', () => {
    expect(connectionError(socket, 'ENOENT').exitCode).toBe(ExitCode.dockerUnavailable);
  });
});

describe('sshError', () => {
  const box: Extract<DockerEndpoint, { kind: 'ssh' }> = { kind: 'ssh', host: 'box', user: 'me', port: 2222 };

  it('gives ssh’s own last words and what to do about them', () => {
    const hostKey = sshError(
      box,
      'No ED25519 host key is known for [box]:2222.\r\nHost key verification failed.\r\n',
      255,
    );
    expect(hostKey.message).toBe(
      'Cannot reach the Docker Engine at ssh://me@box:2222 over ssh: Host key verification failed.',
    );
    expect(hostKey.hint).toContain('`ssh -p 2222 me@box` once');
    expect(sshError(box, 'me@box: Permission denied (publickey).', 255).hint).toContain('authorized_keys');
    expect(sshError(box, 'bash: line 1: docker: command not found', 127).hint).toContain(
      'Install Docker on box',
    );
    expect(sshError(box, '', 255).message).toContain('it exited with 255');
  });
});
