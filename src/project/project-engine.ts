import type { AppSettings } from '../config/app-settings.js';
import { sameEngine, type EngineHandle, type EngineRegistry } from '../docker/engine-registry.js';
import { projectFilter } from '../docker/labels.js';
import { UserError } from '../errors.js';
import type { HostServices } from './host-services.js';
import { projectIdentity } from './identity.js';

/**
 * The Engine a project lives on: the one remembered for it, unless this command chose another
 * explicitly (`--context`, DOCKER_HOST, DOCKER_CONTEXT). A standing default (`docker context use`)
 * never moves a project. An explicit choice that differs is taken only when the project has no
 * container left on its remembered Engine, so that nobody loses track of running containers; its
 * next `up` then remembers the new Engine. A project remembered nowhere uses the current Engine.
 */
export async function engineForProject(
  engines: EngineRegistry,
  settings: Pick<AppSettings, 'projects'>,
  dir: string,
): Promise<EngineHandle> {
  const remembered = settings.projects.find((p) => p.dir === dir)?.engine;
  const { current } = engines;
  if (!remembered) return current;
  const home = engines.get(remembered);
  if (sameEngine(home, current)) return current;
  if (!engines.explicit) return home;
  const project = projectIdentity(dir);
  const left = await home.engine.listContainers(projectFilter(project.id)).catch((error: unknown) => {
    throw new UserError(
      `${project.name} lives on the Docker Engine ${describeHandle(home)}, which cannot be reached to see whether it still has containers there (${(error as Error).message}); ${engines.chosenBy} names ${describeHandle(current)}.`,
      `Run the command without ${engines.chosenBy} when that Engine is back, and bring the project down there first to move it.`,
    );
  });
  if (!left.length) return current;
  throw new UserError(
    `${project.name} lives on the Docker Engine ${describeHandle(home)}, where it has ${left.length} container${left.length === 1 ? '' : 's'}; ${engines.chosenBy} names another, ${describeHandle(current)}.`,
    `Leave ${engines.chosenBy} out to use it where it lives, or move it: \`${commandOn(home, `down ${dir}`)}\` first (its volumes stay there).`,
  );
}

/** The services of a command on one project, on that project's Engine. */
export async function servicesForProject<T extends HostServices>(services: T, dir: string): Promise<T> {
  if (!services.engines) return services;
  const handle = await engineForProject(services.engines, await services.settings.read(), dir);
  return onEngine(services, handle);
}

export function onEngine<T extends HostServices>(services: T, handle: EngineHandle): T {
  return { ...services, engine: handle.engine, env: handle.env, engineRef: handle.ref };
}

export function describeHandle(handle: EngineHandle): string {
  return handle.id === handle.endpoint ? `"${handle.id}"` : `"${handle.id}" (${handle.endpoint})`;
}

/** A command line that runs `args` on that Engine. */
function commandOn(handle: EngineHandle, args: string): string {
  return 'context' in handle.ref
    ? `claude-tui --context ${handle.ref.context} ${args}`
    : `DOCKER_HOST=${handle.ref.host} claude-tui ${args}`;
}
