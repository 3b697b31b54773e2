import type * as Crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DockerUnavailableError } from '../errors.js';
import { localSocket, parseDockerHost, type DockerEndpoint, type TlsMaterial } from './endpoint.js';

/**
 * Which Engine to talk to, chosen exactly as the Docker CLI chooses (cli/command/cli.go,
 * resolveContextName): `--context NAME`, else DOCKER_HOST (which means the default context),
 * else DOCKER_CONTEXT, else `currentContext` in the CLI's config.json, else `default`. The default
 * context is DOCKER_HOST (or the local socket) with TLS from DOCKER_TLS_VERIFY / DOCKER_CERT_PATH;
 * any other is read from the CLI's own context store, so `docker context create` is all it takes.
 */
export interface EngineTarget {
  endpoint: DockerEndpoint;
  context: string;
  chosenBy: '--context' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config.json' | 'default';
}

export const DEFAULT_CONTEXT = 'default';

/** The Docker CLI's configuration folder: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
}

export function resolveEngineTarget(env: NodeJS.ProcessEnv, contextOption?: string): EngineTarget {
  const configDir = dockerConfigDir(env);
  const { context, chosenBy } = chooseContext(env, configDir, contextOption);
  const endpoint =
    context === DEFAULT_CONTEXT
      ? defaultContextEndpoint(env, configDir)
      : storedContextEndpoint(context, chosenBy, configDir);
  return { endpoint, context, chosenBy };
}

function chooseContext(
  env: NodeJS.ProcessEnv,
  configDir: string,
  contextOption: string | undefined,
): Pick<EngineTarget, 'context' | 'chosenBy'> {
  if (contextOption) return { context: contextOption, chosenBy: '--context' };
  if (env.DOCKER_HOST?.trim()) return { context: DEFAULT_CONTEXT, chosenBy: 'DOCKER_HOST' };
  if (env.DOCKER_CONTEXT) return { context: env.DOCKER_CONTEXT, chosenBy: 'DOCKER_CONTEXT' };
  const current = currentContext(join(configDir, 'config.json'));
  if (current) return { context: current, chosenBy: 'config.json' };
  return { context: DEFAULT_CONTEXT, chosenBy: 'default' };
}

/**
 * The environment our own child processes (the background watcher, the SSH relay) get, so that
 * they reach the Engine `--context` chose: DOCKER_CONTEXT set, and DOCKER_HOST, which would
 * outrank it there, dropped (unless the context is the default one, which is DOCKER_HOST).
 */
export function environmentForContext(env: NodeJS.ProcessEnv, contextOption?: string): NodeJS.ProcessEnv {
  if (!contextOption) return env;
  if (contextOption === DEFAULT_CONTEXT) return { ...env, DOCKER_CONTEXT: contextOption };
  const { DOCKER_HOST: _outranked, ...rest } = env;
  return { ...rest, DOCKER_CONTEXT: contextOption };
}

function currentContext(configFile: string): string | undefined {
  const text = readOptional(configFile)?.toString('utf8');
  if (!text?.trim()) return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    throw new ConfigError(configFile, '', 'valid JSON (the Docker CLI config file)');
  }
  const current = (config as { currentContext?: unknown } | null)?.currentContext;
  if (current === undefined || current === '') return undefined;
  if (typeof current !== 'string') throw new ConfigError(configFile, 'currentContext', 'a context name');
  return current;
}

function defaultContextEndpoint(env: NodeJS.ProcessEnv, configDir: string): DockerEndpoint {
  const tls = tlsFromEnvironment(env, configDir);
  const host = env.DOCKER_HOST?.trim();
  if (host) return parseDockerHost(host, 'DOCKER_HOST', tls);
  // As the CLI: asking for TLS without a host means the local Engine's TLS port.
  if (tls) return parseDockerHost('tcp://localhost:2376', 'DOCKER_TLS_VERIFY', tls);
  return localSocket(env.HOME || homedir());
}

/**
 * DOCKER_TLS_VERIFY (any value) asks for TLS with the Engine's certificate checked against
 * ca.pem; DOCKER_TLS alone for TLS unchecked. The files are in DOCKER_CERT_PATH, else the config
 * folder; cert.pem and key.pem are sent when both are there.
 */
function tlsFromEnvironment(env: NodeJS.ProcessEnv, configDir: string): TlsMaterial | undefined {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  const dir = env.DOCKER_CERT_PATH || configDir;
  const ca = readOptional(join(dir, 'ca.pem'));
  if (!ca) {
    throw new DockerUnavailableError(
      `${verify ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS'} is set, and there is no ca.pem in ${dir}.`,
      'Put the CA certificate that signed the Engine’s certificate there as ca.pem (with cert.pem and key.pem), or set DOCKER_CERT_PATH to the folder that has them.',
    );
  }
  return { ca, ...clientCertificate(dir), verify, from: dir };
}

function clientCertificate(dir: string): Pick<TlsMaterial, 'cert' | 'key'> {
  const cert = readOptional(join(dir, 'cert.pem'));
  const key = readOptional(join(dir, 'key.pem'));
  return cert && key ? { cert, key } : {};
}

/**
 * A context of the CLI's store: contexts/meta/<sha256 of the name>/meta.json holds the Docker
 * endpoint's Host and SkipTLSVerify; contexts/tls/<sha256>/docker/ holds ca.pem, cert.pem and
 * key.pem when the context was made with TLS material (then a tcp:// host is spoken to over TLS).
 */
function storedContextEndpoint(
  name: string,
  chosenBy: EngineTarget['chosenBy'],
  configDir: string,
): DockerEndpoint {
  const id = sha256(name);
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const text = readOptional(metaFile)?.toString('utf8');
  if (text === undefined) {
    throw new DockerUnavailableError(
      `There is no Docker context "${name}" (${chosenBy} names it) in ${configDir}.`,
      '`docker context ls` lists the contexts there; make one with `docker context create`, or name another.',
    );
  }
  const docker = dockerEndpointMeta(text, metaFile);
  const origin = `Docker context "${name}"`;
  if (!docker.Host) return localSocket();
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  const ca = readOptional(join(tlsDir, 'ca.pem'));
  const client = clientCertificate(tlsDir);
  const tls =
    ca || client.cert || docker.SkipTLSVerify
      ? { ...(ca ? { ca } : {}), ...client, verify: !docker.SkipTLSVerify, from: `${origin} (${tlsDir})` }
      : undefined;
  return parseDockerHost(docker.Host, origin, tls);
}

/**
 * The store's folder name for a context. node:crypto is loaded here only, and with require: every
 * command reads which Engine to use, and an import of it costs some 20 ms at start (15 loaded so).
 */
function sha256(text: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return createHash('sha256').update(text).digest('hex');
}

function dockerEndpointMeta(text: string, metaFile: string): { Host?: string; SkipTLSVerify?: boolean } {
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(text) as typeof meta;
  } catch {
    throw new ConfigError(metaFile, '', 'valid JSON (a Docker context)');
  }
  const docker = meta?.Endpoints?.docker;
  if (!docker) throw new ConfigError(metaFile, 'Endpoints.docker', 'a Docker endpoint');
  if (docker.Host !== undefined && typeof docker.Host !== 'string')
    throw new ConfigError(metaFile, 'Endpoints.docker.Host', 'a host address');
  return { Host: docker.Host, SkipTLSVerify: docker.SkipTLSVerify === true };
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DockerUnavailableError(
      `Cannot read ${file} (${code}), which says how to reach the Docker Engine.`,
      'Make it readable by your user.',
    );
  }
}
