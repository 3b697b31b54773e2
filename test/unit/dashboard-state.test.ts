import { describe, expect, it } from 'vitest';
import type { ProjectStatus } from '../../src/project/status.js';
import { initialState, reduce, type Action, type DashboardState } from '../../src/ui/state.js';

const project = (dir: string, extra: Partial<ProjectStatus> = {}): ProjectStatus => ({
  dir,
  id: dir.length.toString(16).padStart(8, '0'),
  name: dir.split('/').pop()!,
  slug: dir.split('/').pop()!.toLowerCase(),
  state: 'down',
  gateway: null,
  agent: null,
  volumes: [],
  firewall: 'unknown: the gateway is not running',
  ...extra,
});

const many = (count: number) =>
  Array.from({ length: count }, (_, i) => project(`/home/dev/p${String(i).padStart(2, '0')}`));

const run = (state: DashboardState, ...actions: Action[]) => actions.reduce(reduce, state);
const loaded = (projects: ProjectStatus[]): Action => ({ type: 'projects-loaded', projects });

describe('the dashboard opens on the project it was started in', () => {
  it('selects the project whose folder holds the start folder, wherever it is in the list', () => {
    const projects = many(20);
    const state = run(initialState('/home/dev/p15/src/deep'), loaded(projects));
    expect(state.selectedProject).toBe('/home/dev/p15');
  });

  it('takes the deepest of nested projects', () => {
    const projects = [project('/home/dev/mono'), project('/home/dev/mono/packages/web'), project('/srv/x')];
    const inner = run(initialState('/home/dev/mono/packages/web/src'), loaded(projects));
    expect(inner.selectedProject).toBe('/home/dev/mono/packages/web');
    const outer = run(initialState('/home/dev/mono/packages/api'), loaded(projects));
    expect(outer.selectedProject).toBe('/home/dev/mono');
  });

  it('does not take a folder that only starts with the same letters', () => {
    const projects = [project('/home/dev/app'), project('/home/dev/apple')];
    expect(run(initialState('/home/dev/apple/src'), loaded(projects)).selectedProject).toBe(
      '/home/dev/apple',
    );
    expect(run(initialState('/home/dev/app-old'), loaded(projects)).selectedProject).toBe('/home/dev/app');
  });

  it('falls back to the first project when none holds the start folder', () => {
    const state = run(initialState('/tmp/elsewhere'), loaded(many(3)));
    expect(state.selectedProject).toBe('/home/dev/p00');
  });

  it('holds the selection over refreshes, and over a list that arrives without the project', () => {
    const projects = many(5);
    const without = projects.filter((p) => p.dir !== '/home/dev/p03');
    let state = run(initialState('/home/dev/p03'), loaded(without));
    expect(state.selectedProject).toBe('/home/dev/p00');
    state = run(state, loaded(projects));
    expect(state.selectedProject).toBe('/home/dev/p03');
    state = run(state, loaded(projects.map((p) => ({ ...p }))), loaded([...projects].reverse()));
    expect(state.selectedProject).toBe('/home/dev/p03');
  });

  it('lets the person choose: after a move, a refresh keeps their choice', () => {
    const projects = many(5);
    let state = run(initialState('/home/dev/p03'), loaded(projects), { type: 'move', delta: 1 });
    expect(state.selectedProject).toBe('/home/dev/p04');
    state = run(state, loaded(projects));
    expect(state.selectedProject).toBe('/home/dev/p04');
  });

  it('does not count a key pressed before the list is there as a choice', () => {
    const state = run(initialState('/home/dev/p03'), { type: 'move', delta: 1 }, loaded(many(5)));
    expect(state.selectedProject).toBe('/home/dev/p03');
  });

  it('stops following the start folder once the person filters or adds a project', () => {
    const projects = many(5);
    const filtered = run(
      initialState('/home/dev/p03'),
      loaded(projects),
      { type: 'filter', filter: 'p01' },
      { type: 'filter', filter: '' },
      loaded(projects),
    );
    expect(filtered.selectedProject).toBe('/home/dev/p01');
    const added = run(
      initialState('/home/dev/p03'),
      loaded(projects),
      { type: 'select-project', projectDir: '/home/dev/p02' },
      loaded(projects),
    );
    expect(added.selectedProject).toBe('/home/dev/p02');
  });
});
