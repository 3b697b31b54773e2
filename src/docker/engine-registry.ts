import { UserError } from '../errors.js';
import { resolveEngineTarget, DEFAULT_CONTEXT, type EngineTarget } from './docker-context.js';
import type { DockerEngine } from './engine.js';
import { createDockerEngine, type EngineOptions } from './engine-http.js';
import { engineId, engineRefOf, environmentForEngine, type EngineRef } from './engine-ref.js';

/** One Engine, as the dashboard and the commands on a project reach it. */
export interface EngineHandle {
  /** Its key: the context's name, or DOCKER_HOST's address. */
  id: string;
  ref: EngineRef;
  /** Where it is, for people: `/var/run/docker.sock`, `tcp://box:2376 (TLS)`. */
  endpoint: string;
  engine: DockerEngine;
  /** The environment our own processes get to reach it (the watcher, the relays). */
  env: NodeJS.ProcessEnv;
}

/**
 * The Engines of one run of claude-tui: the one the command line and the environment chose, and
 * any other a project remembers, each client made when first asked for (making one opens nothing).
 */
export interface EngineRegistry {
  readonly current: EngineHandle;
  /** How the current one was chosen. */
  readonly chosenBy: EngineTarget['chosenBy'];
  /** Chosen for this command (`--context`, DOCKER_HOST, DOCKER_CONTEXT), not a standing default. */
  readonly explicit: boolean;
  get(ref: EngineRef): EngineHandle;
}

/**
 * `env` is the environment the command runs in, with `--context` already in it
 * (environmentForContext); `options` are the current Engine's and every other one's.
 */
export function createEngineRegistry(env: NodeJS.ProcessEnv, options: EngineOptions = {}): EngineRegistry {
  const { ref, chosenBy } = currentChoice(env, options.context);
  const engine = createDockerEngine(env, options);
  const current: EngineHandle = { id: engineId(ref), ref, endpoint: engine.endpoint, engine, env };
  const made = new Map<string, EngineHandle>([[current.id, current]]);
  return {
    current,
    chosenBy,
    explicit: chosenBy === '--context' || chosenBy === 'DOCKER_HOST' || chosenBy === 'DOCKER_CONTEXT',
    get(wanted) {
      const id = engineId(wanted);
      let handle = made.get(id);
      if (!handle) {
        const reaching = environmentForEngine(env, wanted);
        const client = createDockerEngine(reaching, { timeouts: options.timeouts });
        handle = { id, ref: wanted, endpoint: client.endpoint, engine: client, env: reaching };
        made.set(id, handle);
      }
      return handle;
    },
  };
}

function currentChoice(
  env: NodeJS.ProcessEnv,
  contextOption: string | undefined,
): { ref: EngineRef; chosenBy: EngineTarget['chosenBy'] } {
  try {
    const target = resolveEngineTarget(env, contextOption);
    return { ref: engineRefOf(target, env), chosenBy: target.chosenBy };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // A context that cannot be read: named all the same; its client says why at the first call.
    const named = contextOption ?? env.DOCKER_CONTEXT;
    const target = {
      context: named ?? DEFAULT_CONTEXT,
      chosenBy: contextOption ? '--context' : 'DOCKER_CONTEXT',
    } as const;
    return { ref: { context: target.context }, chosenBy: named ? target.chosenBy : 'default' };
  }
}

/** The same Engine, whichever way it was named (a context and DOCKER_HOST can name one Engine). */
export function sameEngine(a: EngineHandle, b: EngineHandle): boolean {
  return a.id === b.id || a.endpoint === b.endpoint;
}
