import { describe, expect, it } from 'vitest';
import {
  connectionError,
  describeEndpoint,
  resolveDockerEndpoint,
  type DockerEndpoint,
} from '../../src/docker/endpoint.js';
import { DockerUnavailableError, ExitCode } from '../../src/errors.js';

function rejected(env: NodeJS.ProcessEnv): DockerUnavailableError {
  try {
    resolveDockerEndpoint(env);
  } catch (error) {
    expect(error).toBeInstanceOf(DockerUnavailableError);
    return error as DockerUnavailableError;
  }
  throw new Error(`DOCKER_HOST=${env.DOCKER_HOST} was accepted`);
}

describe('resolveDockerEndpoint', () => {
  it('reads a unix:// DOCKER_HOST as a socket path', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({
      kind: 'socket',
      path: '/run/user/1000/docker.sock',
    });
  });

  it('trims whitespace around DOCKER_HOST', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: '  unix:///tmp/d.sock\n' })).toEqual({
      kind: 'socket',
      path: '/tmp/d.sock',
    });
  });

  it('reads a tcp:// DOCKER_HOST as host and port', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://10.0.0.5:2376' })).toEqual({
      kind: 'tcp',
      host: '10.0.0.5',
      port: 2376,
    });
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'http://docker.internal:12375' })).toEqual({
      kind: 'tcp',
      host: 'docker.internal',
      port: 12375,
    });
  });

  it('defaults a tcp:// DOCKER_HOST without a port to 2375', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://docker-host' })).toEqual({
      kind: 'tcp',
      host: 'docker-host',
      port: 2375,
    });
  });

  // KNOWN BUG (see report): URL.hostname keeps the brackets of an IPv6 address, and
  // net.connect(port, '[::1]') fails with ENOTFOUND. Remove `.fails` once fixed.
  it('gives an IPv6 tcp:// host without brackets, as net.connect needs it', () => {
    expect(resolveDockerEndpoint({ DOCKER_HOST: 'tcp://[::1]:2375' })).toEqual({
      kind: 'tcp',
      host: '::1',
      port: 2375,
    });
  });

  it('refuses TLS, which is not supported', () => {
    const error = rejected({ DOCKER_HOST: 'tcp://remote:2376', DOCKER_TLS_VERIFY: '1' });
    expect(error.message).toContain('TLS');
    expect(error.exitCode).toBe(ExitCode.dockerUnavailable);
  });

  it('refuses other schemes with a DockerUnavailableError naming the value', () => {
    for (const host of ['ssh://me@remote', 'npipe:////./pipe/docker_engine', '/var/run/docker.sock']) {
      const error = rejected({ DOCKER_HOST: host });
      expect(error.message).toContain(host);
      expect(error.hint).toContain('unix://');
    }
  });

  it('falls back to a local socket when DOCKER_HOST is unset or empty', () => {
    for (const env of [{}, { DOCKER_HOST: '' }, { DOCKER_HOST: '   ' }]) {
      const endpoint = resolveDockerEndpoint(env);
      expect(endpoint.kind).toBe('socket');
      if (endpoint.kind === 'socket') {
        expect(
          endpoint.path === '/var/run/docker.sock' || endpoint.path.endsWith('/.docker/run/docker.sock'),
        ).toBe(true);
      }
    }
  });
});

describe('describeEndpoint', () => {
  it('gives a socket path or a tcp:// address', () => {
    expect(describeEndpoint({ kind: 'socket', path: '/var/run/docker.sock' })).toBe('/var/run/docker.sock');
    expect(describeEndpoint({ kind: 'tcp', host: 'h', port: 2375 })).toBe('tcp://h:2375');
  });
});

describe('connectionError', () => {
  const socket: DockerEndpoint = { kind: 'socket', path: '/var/run/docker.sock' };

  it('gives each cause its own message, all naming the endpoint', () => {
    const messages = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT'].map(
      (code) => connectionError(socket, code).message,
    );
    expect(new Set(messages).size).toBe(messages.length);
    for (const message of messages) expect(message).toContain('/var/run/docker.sock');
  });

  it('says there is no socket for ENOENT', () => {
    const error = connectionError(socket, 'ENOENT');
    expect(error).toBeInstanceOf(DockerUnavailableError);
    expect(error.message).toMatch(/not running.*no Docker socket/);
    expect(error.hint).toMatch(/Start the Docker Engine/);
  });

  it('says nothing answers for ECONNREFUSED', () => {
    const error = connectionError({ kind: 'tcp', host: 'h', port: 1 }, 'ECONNREFUSED');
    expect(error.message).toContain('nothing answers at tcp://h:1');
  });

  it('points at the docker group for EACCES and EPERM', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const error = connectionError(socket, code);
      expect(error.message).toMatch(/permission/i);
      expect(error.hint).toContain('docker group');
      expect(error.hint).toContain('usermod -aG docker');
    }
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
