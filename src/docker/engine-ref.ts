import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_CONTEXT, dockerConfigDir, type EngineTarget } from './docker-context.js';

/**
 * Which Engine a project lives on, as remembered on the host: the Docker context that reached it,
 * or, when DOCKER_HOST chose it without a context, that address with the TLS settings the
 * environment gave (the certificate folder made absolute, so a later shell elsewhere finds it).
 * The `default` context means the machine's own Engine: the local socket, whatever DOCKER_HOST says
 * later (which is remembered as a host of its own).
 */
export type EngineRef =
  { context: string } | { host: string; tlsVerify?: boolean; tls?: boolean; certPath?: string };

/** The Engine's key: its context's name, or the address DOCKER_HOST gave. */
export function engineId(ref: EngineRef): string {
  return 'context' in ref ? ref.context : ref.host;
}

/** How the Engine an environment chose is remembered. */
export function engineRefOf(target: EngineTarget, env: NodeJS.ProcessEnv): EngineRef {
  if (target.chosenBy !== 'DOCKER_HOST') return { context: target.context };
  const certPath =
    env.DOCKER_TLS_VERIFY || env.DOCKER_TLS
      ? absolute(env.DOCKER_CERT_PATH || dockerConfigDir(env))
      : undefined;
  return {
    host: env.DOCKER_HOST!.trim(),
    ...(env.DOCKER_TLS_VERIFY ? { tlsVerify: true } : {}),
    ...(env.DOCKER_TLS && !env.DOCKER_TLS_VERIFY ? { tls: true } : {}),
    ...(certPath ? { certPath } : {}),
  };
}

const ENGINE_VARIABLES = [
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_TLS_VERIFY',
  'DOCKER_TLS',
  'DOCKER_CERT_PATH',
];

/**
 * The environment that reaches the remembered Engine, for our client and for the processes we
 * start (the watcher, the relays): the Docker variables replaced by what the reference says.
 */
export function environmentForEngine(env: NodeJS.ProcessEnv, ref: EngineRef): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(Object.entries(env).filter(([key]) => !ENGINE_VARIABLES.includes(key)));
  if ('context' in ref) {
    // The default context keeps TLS from the environment, as the Docker CLI's does.
    const tls =
      ref.context === DEFAULT_CONTEXT
        ? Object.fromEntries(
            ['DOCKER_TLS_VERIFY', 'DOCKER_TLS', 'DOCKER_CERT_PATH'].flatMap((k) =>
              env[k] ? [[k, env[k]]] : [],
            ),
          )
        : {};
    return { ...rest, ...tls, DOCKER_CONTEXT: ref.context };
  }
  return {
    ...rest,
    DOCKER_HOST: ref.host,
    ...(ref.tlsVerify ? { DOCKER_TLS_VERIFY: '1' } : {}),
    ...(ref.tls ? { DOCKER_TLS: '1' } : {}),
    ...(ref.certPath ? { DOCKER_CERT_PATH: ref.certPath } : {}),
  };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
