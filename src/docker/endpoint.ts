import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerUnavailableError } from '../errors.js';

/** How to reach the Engine: a unix socket, or plain HTTP over TCP. */
export type DockerEndpoint = { kind: 'socket'; path: string } | { kind: 'tcp'; host: string; port: number };

const defaultSocket = '/var/run/docker.sock';

/**
 * DOCKER_HOST first (as the docker CLI does), then the system socket, then Docker Desktop's
 * per-user socket.
 */
export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const host = env.DOCKER_HOST?.trim();
  if (host) {
    if (host.startsWith('unix://')) return { kind: 'socket', path: host.slice('unix://'.length) };
    if (host.startsWith('tcp://') || host.startsWith('http://')) {
      if (env.DOCKER_TLS_VERIFY) {
        throw new DockerUnavailableError(
          `DOCKER_HOST=${host} asks for TLS, which claude-tui does not support yet.`,
          'Use a local socket (unset DOCKER_HOST) or an SSH tunnel to the remote socket.',
        );
      }
      const url = new URL(host.replace(/^tcp:/, 'http:'));
      // An IPv6 host keeps its brackets in a URL; the socket wants the bare address.
      return { kind: 'tcp', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 2375) };
    }
    throw new DockerUnavailableError(
      `DOCKER_HOST=${host} is not a unix:// or tcp:// address.`,
      'Set DOCKER_HOST to unix:///path/to/docker.sock or tcp://host:port, or unset it.',
    );
  }
  if (!existsSync(defaultSocket)) {
    const desktop = join(homedir(), '.docker', 'run', 'docker.sock');
    if (existsSync(desktop)) return { kind: 'socket', path: desktop };
  }
  return { kind: 'socket', path: defaultSocket };
}

export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'socket' ? endpoint.path : `tcp://${endpoint.host}:${endpoint.port}`;
}

/** Turns a connection failure into the message for its cause. */
export function connectionError(endpoint: DockerEndpoint, code: string | undefined): DockerUnavailableError {
  const where = describeEndpoint(endpoint);
  switch (code) {
    case 'ENOENT':
      return new DockerUnavailableError(
        `Docker is not running: there is no Docker socket at ${where}.`,
        'Start the Docker Engine (for example `sudo systemctl start docker`, or open Docker Desktop) and try again.',
      );
    case 'ECONNREFUSED':
      return new DockerUnavailableError(
        `Docker is not running: nothing answers at ${where}.`,
        'Start the Docker Engine (for example `sudo systemctl start docker`, or open Docker Desktop) and try again.',
      );
    case 'EACCES':
    case 'EPERM':
      return new DockerUnavailableError(
        `No permission to use the Docker socket at ${where}.`,
        'Add your user to the docker group (`sudo usermod -aG docker $USER`), log out and in again, then retry.',
      );
    default:
      return new DockerUnavailableError(
        `Cannot reach the Docker Engine at ${where}${code ? ` (${code})` : ''}.`,
        'Check that Docker is running (`docker info`) and try again.',
      );
  }
}
