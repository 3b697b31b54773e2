import { describe, expect, it } from 'vitest';
import type { ContainerSummary, DockerEngine } from '../../src/docker/engine.js';
import type { EngineHandle, EngineRegistry } from '../../src/docker/engine-registry.js';
import { engineId, environmentForEngine, type EngineRef } from '../../src/docker/engine-ref.js';
import { UserError } from '../../src/errors.js';
import { engineGroups, listEngine } from '../../src/project/engine-projects.js';
import { engineForProject } from '../../src/project/project-engine.js';
import type { ProjectStatus } from '../../src/project/status.js';
import { retryDelay, RETRY_MAX_MS } from '../../src/ui/engine-backoff.js';
import {
  initialState,
  projectListRows,
  reduce,
  type Action,
  type DashboardState,
} from '../../src/ui/state.js';

const project = (dir: string): ProjectStatus => ({
  dir,
  id: dir,
  name: dir.split('/').pop()!,
  slug: dir.split('/').pop()!,
  state: 'up',
  gateway: null,
  agent: null,
  volumes: [],
  firewall: 'off',
});
const run = (state: DashboardState, ...actions: Action[]) => actions.reduce(reduce, state);
const engines: Action = {
  type: 'engines',
  engines: [
    { id: 'default', endpoint: '/var/run/docker.sock', current: true },
    { id: 'box', endpoint: 'tcp://box:2376 (TLS)', current: false },
  ],
};

describe('the dashboard groups projects by Engine', () => {
  it('lists each Engine under a heading, in the Engines’ order, whichever answered first', () => {
    const state = run(
      initialState(),
      engines,
      { type: 'projects-loaded', engine: 'box', projects: [project('/r/far')] },
      { type: 'projects-loaded', engine: 'default', projects: [project('/l/near'), project('/l/other')] },
    );
    const rows = projectListRows(state).map((r) =>
      r.kind === 'project' ? r.project.dir : `# ${r.engine.id}`,
    );
    expect(rows).toEqual(['# default', '/l/near', '/l/other', '# box', '/r/far']);
    // A later answer never moves the selection.
    expect(state.selectedProject).toBe('/r/far');
  });

  it('marks an unreachable Engine with why and since when, drops its projects, and keeps the others and the selection', () => {
    const state = run(
      initialState(),
      engines,
      { type: 'projects-loaded', engine: 'default', projects: [project('/l/near')] },
      { type: 'projects-loaded', engine: 'box', projects: [project('/r/far')] },
      { type: 'select-project', projectDir: '/l/near' },
      { type: 'engine', engine: 'box', current: false, down: 'Nothing answers at tcp://box:2376.', since: 5 },
    );
    expect(state.engines[1]!.down).toEqual({ reason: 'Nothing answers at tcp://box:2376.', since: 5 });
    expect(state.projects.map((p) => p.dir)).toEqual(['/l/near']);
    expect(state.selectedProject).toBe('/l/near');
    // Another Engine going away is no banner: that is for the current one.
    expect(state.engineDown).toBeNull();
    const back = run(state, { type: 'engine', engine: 'box', current: false, down: null });
    expect(back.engines[1]!.down).toBeNull();
    const currentDown = run(state, { type: 'engine', engine: 'default', current: true, down: 'gone' });
    expect(currentDown.engineDown).toBe('gone');
  });

  it('shows no heading with one Engine, as before', () => {
    const state = run(
      initialState(),
      { type: 'engines', engines: [engines.engines[0]!] },
      {
        type: 'projects-loaded',
        engine: 'default',
        projects: [project('/l/near')],
      },
    );
    expect(projectListRows(state).map((r) => r.kind)).toEqual(['project']);
  });
});

describe('an unreachable Engine is looked for again with backoff', () => {
  it('soon at first, then doubling, never past the cap', () => {
    expect([1, 2, 3, 4, 5, 50].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => retryDelay(i)))).toBe(RETRY_MAX_MS);
  });
});

function fakeEngine(endpoint: string, containers: ContainerSummary[] | Error, pingMs = 0): DockerEngine {
  return {
    endpoint,
    ping: () =>
      containers instanceof Error
        ? Promise.reject(containers)
        : new Promise((resolve) => setTimeout(resolve, pingMs)),
    listContainers: () =>
      containers instanceof Error ? Promise.reject(containers) : Promise.resolve(containers),
    listVolumes: () => Promise.resolve([]),
  } as unknown as DockerEngine;
}

function registry(
  current: EngineRef,
  explicit: boolean,
  engineFor: (ref: EngineRef) => DockerEngine,
): EngineRegistry {
  const handle = (ref: EngineRef): EngineHandle => {
    const engine = engineFor(ref);
    return { id: engineId(ref), ref, endpoint: engine.endpoint, engine, env: {} };
  };
  const made = new Map<string, EngineHandle>();
  const get = (ref: EngineRef) => {
    if (!made.has(engineId(ref))) made.set(engineId(ref), handle(ref));
    return made.get(engineId(ref))!;
  };
  return { current: get(current), chosenBy: explicit ? '--context' : 'default', explicit, get };
}

const container = { Id: 'x', Names: ['/x'], Image: 'i', State: 'running', Status: '', Labels: {} };

describe('which Engine a project lives on', () => {
  const settings = {
    projects: [
      { dir: '/l/near', lastUsed: '', engine: { context: 'default' } },
      { dir: '/r/far', lastUsed: '', engine: { context: 'box' } },
      { dir: '/old', lastUsed: '' },
    ],
  };

  it('groups the remembered projects under their Engines, the current one first with those remembered nowhere', () => {
    const all = registry({ context: 'default' }, false, (ref) => fakeEngine(engineId(ref), []));
    const groups = engineGroups(all, settings);
    expect(groups.map((g) => [g.handle.id, g.current, g.known])).toEqual([
      ['default', true, ['/l/near', '/old']],
      ['box', false, ['/r/far']],
    ]);
  });

  it('a standing default never moves a project; an explicit choice does only when nothing is left on the old Engine', async () => {
    const empty = registry({ context: 'other' }, false, (ref) => fakeEngine(engineId(ref), []));
    expect((await engineForProject(empty, settings, '/r/far')).id).toBe('box');
    expect((await engineForProject(empty, settings, '/old')).id).toBe('other');

    const explicitEmpty = registry({ context: 'other' }, true, (ref) => fakeEngine(engineId(ref), []));
    expect((await engineForProject(explicitEmpty, settings, '/r/far')).id).toBe('other');

    const explicitBusy = registry({ context: 'other' }, true, (ref) =>
      fakeEngine(engineId(ref), [container]),
    );
    const refused = await engineForProject(explicitBusy, settings, '/r/far').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toContain('far lives on the Docker Engine "box"');
    expect((refused as UserError).message).toContain('--context names another, "other"');
    expect((refused as UserError).hint).toContain('claude-tui --context box down /r/far');

    const unreachable = registry({ context: 'other' }, true, (ref) =>
      fakeEngine(engineId(ref), engineId(ref) === 'box' ? new Error('Nothing answers') : []),
    );
    await expect(engineForProject(unreachable, settings, '/r/far')).rejects.toThrow('cannot be reached');
  });

  it('reads a dead Engine no longer than the short timeout', async () => {
    const all = registry({ context: 'default' }, false, (ref) =>
      fakeEngine(engineId(ref), [], engineId(ref) === 'box' ? 60_000 : 0),
    );
    const started = Date.now();
    const [near, far] = await Promise.all(engineGroups(all, settings).map((g) => listEngine(g, 200)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(near!.reachable).toBe(true);
    expect(far!.reachable).toBe(false);
    expect(far!.reachable === false && far!.reason).toContain('did not answer within');
  });

  it('reaches a remembered DOCKER_HOST with its TLS settings, whatever the environment says now', () => {
    const env = {
      PATH: '/bin',
      DOCKER_HOST: 'unix:///other.sock',
      DOCKER_CONTEXT: 'x',
      DOCKER_TLS_VERIFY: '',
    };
    expect(
      environmentForEngine(env, { host: 'tcp://box:2376', tlsVerify: true, certPath: '/certs' }),
    ).toEqual({
      PATH: '/bin',
      DOCKER_HOST: 'tcp://box:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/certs',
    });
    expect(environmentForEngine(env, { context: 'box' })).toEqual({ PATH: '/bin', DOCKER_CONTEXT: 'box' });
  });
});
