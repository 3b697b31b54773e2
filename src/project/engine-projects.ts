import type { AppSettings } from '../config/app-settings.js';
import { sameEngine, type EngineHandle, type EngineRegistry } from '../docker/engine-registry.js';
import { DockerUnavailableError } from '../errors.js';
import { listProjects, type ProjectStatus } from './status.js';

/** One Engine to show, and the projects remembered on it (their folders). */
export interface EngineGroup {
  handle: EngineHandle;
  /** The Engine this run chose (`--context`, the environment): it gets the projects remembered nowhere. */
  current: boolean;
  known: string[];
}

/**
 * The Engines to show: the current one first, then every other Engine a project remembers, by
 * name. Two names of one Engine (a context and DOCKER_HOST, say) are one group.
 */
export function engineGroups(
  engines: EngineRegistry,
  settings: Pick<AppSettings, 'projects'>,
): EngineGroup[] {
  const groups: EngineGroup[] = [{ handle: engines.current, current: true, known: [] }];
  for (const project of settings.projects) {
    const handle = project.engine ? engines.get(project.engine) : engines.current;
    let group = groups.find((g) => sameEngine(g.handle, handle));
    if (!group) groups.push((group = { handle, current: false, known: [] }));
    group.known.push(project.dir);
  }
  const [current, ...others] = groups;
  return [current!, ...others.sort((a, b) => a.handle.id.localeCompare(b.handle.id))];
}

/** The Engine a project's operations use: where it is remembered, else the current one. */
export function groupOf(groups: readonly EngineGroup[], dir: string): EngineGroup {
  return groups.find((g) => g.known.includes(dir)) ?? groups[0]!;
}

/** How long an Engine may take to answer a ping before it counts as unreachable. */
export const REACH_TIMEOUT_MS = 3000;

/**
 * Resolves when the Engine answers a ping (or `asked`, a request already on its way to it),
 * rejects with why not, within `timeoutMs`.
 */
export function reach(
  handle: EngineHandle,
  timeoutMs = REACH_TIMEOUT_MS,
  asked: Promise<unknown> = handle.engine.ping(),
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DockerUnavailableError(
            `The Docker Engine at ${handle.endpoint} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([asked.then(() => undefined), late]).finally(() => clearTimeout(timer));
}

export type EngineListing =
  | { group: EngineGroup; reachable: true; projects: ProjectStatus[] }
  | { group: EngineGroup; reachable: false; reason: string; error: unknown };

/** One Engine's projects, or why they cannot be read; never waits past the ping's timeout for a dead one. */
export async function listEngine(group: EngineGroup, timeoutMs = REACH_TIMEOUT_MS): Promise<EngineListing> {
  try {
    await reach(group.handle, timeoutMs);
    return { group, reachable: true, projects: await listProjects(group.handle.engine, group.known) };
  } catch (error) {
    return { group, reachable: false, reason: (error as Error).message, error };
  }
}
