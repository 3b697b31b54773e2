import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerUnavailableError } from '../errors.js';

/** What a TLS connection to the Engine proves and presents, read from the files named in `from`. */
export interface TlsMaterial {
  /** The CA the Engine's certificate must be signed by; the system's CAs when absent. */
  ca?: Buffer;
  /** Our client certificate and its key, when there are both. */
  cert?: Buffer;
  key?: Buffer;
  /** False: any certificate is taken (DOCKER_TLS without DOCKER_TLS_VERIFY, or a context's SkipTLSVerify). */
  verify: boolean;
  /** Where the files came from, for messages ("/home/me/.docker", "context remote"). */
  from: string;
}

/** How to reach the Engine: a unix socket, TCP with or without TLS, or `ssh … docker system dial-stdio`. */
export type DockerEndpoint =
  | { kind: 'socket'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsMaterial }
  | { kind: 'ssh'; host: string; user?: string; port?: number; socketPath?: string };

const defaultSocket = '/var/run/docker.sock';

/** The local Engine: the system socket, else Docker Desktop's per-user socket. */
export function localSocket(home: string = homedir()): DockerEndpoint {
  if (!existsSync(defaultSocket)) {
    const desktop = join(home, '.docker', 'run', 'docker.sock');
    if (existsSync(desktop)) return { kind: 'socket', path: desktop };
  }
  return { kind: 'socket', path: defaultSocket };
}

/**
 * A host as DOCKER_HOST or a context spells it, read as the Docker CLI reads it: unix://PATH,
 * tcp://HOST[:PORT] (2375 when left out; TLS when `tls` is given), HOST:PORT alone meaning tcp,
 * and ssh://[USER@]HOST[:PORT][/SOCKET]. `origin` says where the value came from ("DOCKER_HOST").
 */
export function parseDockerHost(value: string, origin: string, tls?: TlsMaterial): DockerEndpoint {
  const host = value.trim();
  const scheme = host.includes('://') ? host.slice(0, host.indexOf('://')) : 'tcp';
  if (scheme === 'unix') return { kind: 'socket', path: host.slice('unix://'.length) || defaultSocket };
  if (scheme === 'tcp' || scheme === 'http') return tcpEndpoint(host, origin, tls);
  if (scheme === 'ssh') return sshEndpoint(host, origin);
  throw new DockerUnavailableError(
    `${origin} names ${host}, which is not a unix://, tcp:// or ssh:// address.`,
    'Use unix:///path/to/docker.sock, tcp://host:port (with DOCKER_TLS_VERIFY for TLS) or ssh://user@host.',
  );
}

function tcpEndpoint(value: string, origin: string, tls: TlsMaterial | undefined): DockerEndpoint {
  // A scheme of no default port, so that every port is kept as written (http:// would drop :80).
  const address = value.replace(/^(tcp|http):\/\//, '');
  const url = parseUrl(`tcp://${address.startsWith(':') ? 'localhost' : ''}${address}`, value, origin);
  // An IPv6 host keeps its brackets in a URL; the socket wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  return { kind: 'tcp', host, port: Number(url.port || 2375), ...(tls ? { tls } : {}) };
}

function sshEndpoint(value: string, origin: string): DockerEndpoint {
  const url = parseUrl(value, value, origin);
  const refuse = (why: string) =>
    new DockerUnavailableError(
      `${origin} names ${value}, which is not an ssh address the Docker CLI takes: ${why}.`,
      'Use ssh://[user@]host[:port], the form `docker -H` takes.',
    );
  if (!url.hostname) throw refuse('it names no host');
  if (url.password) throw refuse('a password in it is not supported (use a key)');
  if (url.search || url.hash) throw refuse('query parameters and fragments are not allowed');
  const socketPath = decodeURIComponent(url.pathname);
  return {
    kind: 'ssh',
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(socketPath.replace(/\//g, '') ? { socketPath } : {}),
  };
}

function parseUrl(text: string, value: string, origin: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new DockerUnavailableError(
      `${origin} names ${value}, which is not a valid address.`,
      'Use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host.',
    );
  }
}

/**
 * Whether the Engine is another machine as far as files go: a unix socket is this machine's
 * kernel, so a bind mount names a file here; over tcp:// or ssh:// the Engine binds from its own
 * machine, even at 127.0.0.1 (a VM's Engine forwarded to a local port sees the VM's files, not
 * ours). So tcp:// and ssh:// count as remote whatever the address.
 */
export function isRemoteEndpoint(endpoint: DockerEndpoint): boolean {
  return endpoint.kind !== 'socket';
}

export function describeEndpoint(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'socket':
      return endpoint.path;
    case 'tcp': {
      const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
      const tls = endpoint.tls ? (endpoint.tls.verify ? ' (TLS)' : ' (TLS, not verified)') : '';
      return `tcp://${host}:${endpoint.port}${tls}`;
    }
    case 'ssh':
      return `ssh://${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}${
        endpoint.port ? `:${endpoint.port}` : ''
      }${endpoint.socketPath ?? ''}`;
  }
}
