/* eslint-disable @typescript-eslint/require-await -- the fake answers at once, yet as async functions so that a throw becomes a rejection, as in the real domain */
import { UserError } from '../../src/errors.js';
import type { AllowlistView } from '../../src/app/describe-allowlist.js';
import type { ProjectAlerts } from '../../src/app/project-alerts.js';
import type { ProjectBridge } from '../../src/app/project-bridge.js';
import type { BridgeCall } from '../../src/bridge/call-log.js';
import type { RefusedEntry } from '../../src/firewall/gateway-control.js';
import type { ManagedResource } from '../../src/project/inventory.js';
import type { ProjectStatus } from '../../src/project/status.js';
import type { SessionInfo } from '../../src/session/session-state.js';
import type { StateChange } from '../../src/session/watch-sessions.js';
import type { DashboardDomain } from '../../src/ui/dashboard-domain.js';
import { defaultBindings } from '../../src/ui/keymap.js';

/**
 * An in-memory world for screen tests: three projects, a few sessions, an allowlist, refused
 * names and leftovers to clean up. Every call is recorded; tests change the world and push
 * session changes the way the real watchers would.
 */
export function fakeWorld(now = Date.now()) {
  const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
  const running = (name: string) => ({
    name,
    state: 'running',
    status: 'Up 2 hours',
    image: 'claude-tui-agent:abc',
  });
  const projects: ProjectStatus[] = [
    {
      dir: '/home/dev/alpha',
      id: 'a1a1a1a1',
      name: 'alpha',
      slug: 'alpha',
      state: 'up',
      gateway: running('claude-tui-alpha-a1a1a1a1-gateway'),
      agent: running('claude-tui-alpha-a1a1a1a1-agent'),
      volumes: ['claude-tui-alpha-a1a1a1a1-home'],
      firewall: 'see `claude-tui status`',
    },
    {
      dir: '/home/dev/beta',
      id: 'b2b2b2b2',
      name: 'beta',
      slug: 'beta',
      state: 'down',
      gateway: null,
      agent: null,
      volumes: ['claude-tui-beta-b2b2b2b2-home'],
      firewall: 'unknown: the gateway is not running',
    },
    {
      dir: '/srv/gamma-service',
      id: 'c3c3c3c3',
      name: 'gamma-service',
      slug: 'gamma-service',
      state: 'up',
      gateway: running('claude-tui-gamma-service-c3c3c3c3-gateway'),
      agent: running('claude-tui-gamma-service-c3c3c3c3-agent'),
      volumes: [],
      firewall: 'see `claude-tui status`',
    },
  ];
  const session = (
    name: string,
    state: SessionInfo['state'],
    created: number,
    extra: Partial<SessionInfo> = {},
  ): SessionInfo => ({
    name,
    state,
    source: 'hook',
    since: minutesAgo(1),
    running: state !== 'exited',
    created: minutesAgo(created),
    lastActivity: minutesAgo(2),
    exitCode: null,
    kind: 'workspace',
    ...extra,
  });
  const sessions: Record<string, SessionInfo[]> = {
    '/home/dev/alpha': [
      session('fix-login', 'working', 42),
      session('s1', 'waiting', 95),
      session('tests', 'exited', 180, { exitCode: 1 }),
    ],
    '/srv/gamma-service': [session('s1', 'idle', 10, { source: 'activity' })],
  };
  const allowlist: AllowlistView = {
    status: 'protected (14 names, 52 ranges)',
    enabled: true,
    policy: {} as AllowlistView['policy'],
    rows: [
      { entry: 'api.anthropic.com', source: 'default', editable: false },
      { entry: 'github.com', source: 'default', editable: false },
      { entry: 'registry.example.test', source: 'package registry', editable: false },
      { entry: 'example.org', source: '.claude/allowed-domains.txt:1', editable: true },
    ],
    ranges: 52,
    pending: null,
    approvedAt: '2026-11-30T09:00:00.000Z',
    warnings: [],
  };
  const alerts: Record<string, ProjectAlerts> = {};
  const refused: RefusedEntry[] = [
    { kind: 'dns', target: 'telemetry.example.net', count: 7, last: minutesAgo(4) },
    { kind: 'connection', target: 'tcp 192.0.2.1.443', count: 2, last: minutesAgo(7) },
  ];
  const volume = (
    name: string,
    role: string,
    project: string | null,
    size: number,
    inUse: boolean,
    unmerged: number | null = null,
  ): ManagedResource => ({
    kind: 'volume',
    id: name,
    name,
    role,
    projectDir: project,
    sizeBytes: size,
    inUse,
    usedBy: inUse ? ['claude-tui-alpha-a1a1a1a1-agent'] : [],
    unmergedCommits: unmerged,
    folderMissing: false,
    usedOnlyByGoneProjects: false,
  });
  const resources: ManagedResource[] = [
    {
      kind: 'container',
      id: 'c0ffee',
      name: 'claude-tui-alpha-a1a1a1a1-agent',
      role: 'agent',
      projectDir: '/home/dev/alpha',
      sizeBytes: 4096,
      inUse: true,
      usedBy: ['running'],
      unmergedCommits: null,
      folderMissing: false,
      usedOnlyByGoneProjects: false,
    },
    volume('claude-tui-alpha-a1a1a1a1-home', 'home', '/home/dev/alpha', 48_000_000, true),
    volume('claude-tui-beta-b2b2b2b2-home', 'home', '/home/dev/beta', 12_500_000, false),
    volume('claude-tui-beta-b2b2b2b2-git-s2', 'git-session', '/home/dev/beta', 3_200_000, false, 2),
    {
      kind: 'image',
      id: 'sha256:1234',
      name: 'claude-tui-agent:0123456789ab',
      role: 'image',
      projectDir: null,
      sizeBytes: 521_000_000,
      inUse: false,
      usedBy: [],
      unmergedCommits: null,
      folderMissing: false,
      usedOnlyByGoneProjects: false,
    },
  ];
  const bridges: Record<string, Omit<ProjectBridge, 'calls'>> = {
    '/home/dev/alpha': {
      policy: undefined,
      networks: [
        { name: 'shop_default', exists: true, composeProject: 'shop' },
        { name: 'old-net', exists: false, composeProject: undefined },
      ],
      sidecars: {
        composeProject: 'shop',
        sidecars: [
          { service: 'db', container: 'shop-db-1', state: 'running', status: 'Up 2 hours', commands: [] },
          {
            service: 'php',
            container: 'shop-php-1',
            state: 'running',
            status: 'Up 2 hours',
            commands: ['composer', 'php'],
          },
        ],
        unreached: [{ name: 'js', target: 'service node', commands: ['npm'] }],
      },
    },
  };
  const bridgeCalls: Record<string, BridgeCall[]> = {
    '/home/dev/alpha': [
      { at: now - 5_000, command: 'php', exitCode: 0, durationMs: 240 },
      { at: now - 65_000, command: 'composer', exitCode: 2, durationMs: 12_400 },
      {
        at: now - 120_000,
        command: 'curl',
        exitCode: undefined,
        durationMs: 0,
        refused: 'not a bridged command',
      },
    ],
  };
  return { projects, sessions, allowlist, refused, resources, alerts, bridges, bridgeCalls };
}

export type FakeWorld = ReturnType<typeof fakeWorld>;

export interface FakeDomain extends DashboardDomain {
  world: FakeWorld;
  calls: string[];
  /** Pushes a session change as the project's watcher would report it. */
  changeSession(projectDir: string, session: SessionInfo, from: SessionInfo['state']): void;
  /** As if Docker reported a change to a compose project's containers. */
  composeEvent(composeProject: string): void;
  /** As if Docker reported a change: the dashboard reads the projects again. */
  engineEvent(): void;
  /** As if the Engine stopped (the event stream breaks, pings fail) or came back. */
  setEngineDown(down: boolean): void;
}

export function createFakeDomain(world: FakeWorld = fakeWorld()): FakeDomain {
  const calls: string[] = [];
  const watchers = new Map<
    string,
    { onList: (s: SessionInfo[]) => void; onChange: (c: StateChange) => void }
  >();
  const listeners = new Set<{ onChange: () => void; onEnd: (error?: Error) => void }>();
  const composeListeners = new Map<string, Set<{ onChange: () => void; onEnd: (error?: Error) => void }>>();
  let engineDown = false;
  const unreachable = () => new Error('Cannot connect to the Docker Engine at unix:///var/run/docker.sock.');
  const domain: FakeDomain = {
    world,
    calls,
    engines: async () => [{ id: 'default', endpoint: '/var/run/docker.sock', current: true }],
    listProjects: async () => {
      if (engineDown) throw unreachable();
      return world.projects.map((p) => ({ ...p }));
    },
    firewallStatus: async () => 'protected (14 names, 52 ranges)',
    addProject: async (path) => {
      calls.push(`add ${path}`);
      if (!path.startsWith('/'))
        throw new UserError(`${path} does not exist.`, 'Type the path of a project folder.');
      world.projects.push({
        dir: path,
        id: 'd4d4d4d4',
        name: path.split('/').pop() ?? path,
        slug: (path.split('/').pop() ?? path).toLowerCase(),
        state: 'down',
        gateway: null,
        agent: null,
        volumes: [],
        firewall: '',
      });
      return path;
    },
    upProject: async (dir, onProgress) => {
      calls.push(`up ${dir}`);
      onProgress('building the image');
      return `${dir} is up · firewall: protected`;
    },
    downProject: async (dir) => {
      calls.push(`down ${dir}`);
    },
    watchSessions: (dir, onList, onChange) => {
      calls.push(`watch ${dir}`);
      watchers.set(dir, { onList, onChange });
      queueMicrotask(() => onList(world.sessions[dir] ?? []));
      return { stop: () => watchers.delete(dir) };
    },
    followScreen: (dir, name, onScreen) => {
      const timer = setTimeout(
        () => onScreen(`fake agent screen of ${name}\n> do the thing\nworking on it...\n`),
        1,
      );
      return { stop: () => clearTimeout(timer) };
    },
    startSession: async (dir, request) => {
      calls.push(`start ${dir} ${request.name ?? '(auto)'} ${request.agentArgs.join(' ')}`.trim());
      return request.name ?? 's2';
    },
    stopSession: async (dir, name) => {
      calls.push(`stop ${dir} ${name}`);
    },
    attachSession: async (dir, { name }) => {
      calls.push(`attach ${dir} ${name}`);
      return `Detached from ${name}; it keeps running.`;
    },
    gitCounts: async (dir, names) =>
      Object.fromEntries(
        (world.sessions[dir] ?? []).flatMap((s) =>
          names.includes(s.name) && s.git ? [[s.name, s.git]] : [],
        ),
      ),
    describeAllowlist: async () => structuredClone(world.allowlist),
    editAllowlist: async (dir, action, values) => {
      calls.push(`allow ${action} ${values.join(' ')}`);
      if (action === 'add') {
        for (const value of values)
          world.allowlist.rows.push({
            entry: value,
            source: '.claude/allowed-domains.txt:2',
            editable: true,
          });
      } else {
        world.allowlist.rows = world.allowlist.rows.filter((r) => !values.includes(r.entry));
      }
      return { changed: values, status: 'protected (15 names, 52 ranges)', applied: true };
    },
    applyAllowlist: async () => {
      calls.push('apply');
      return {
        status: 'protected (14 names, 52 ranges)',
        waiting: world.allowlist.pending ? 'a change waits for approval' : null,
      };
    },
    projectAlerts: async (dir) =>
      world.alerts[dir] ?? {
        pending: dir === '/home/dev/alpha' ? world.allowlist.pending : null,
        approvedAt: world.allowlist.approvedAt,
        hostRun: [],
      },
    approvePolicy: async (dir, pending, onProgress) => {
      calls.push(`approve ${dir} ${pending.files.map((f) => f.path).join(' ')}`);
      onProgress('applying');
      if (world.alerts[dir]) world.alerts[dir] = { ...world.alerts[dir], pending: null, hostRun: [] };
      if (dir === '/home/dev/alpha') world.allowlist.pending = null;
      return 'Approved and applied · firewall: protected';
    },
    refused: async () => world.refused,
    inventory: async () => ({ resources: world.resources.map((r) => ({ ...r })) }),
    removeResources: async (targets, options) => {
      calls.push(
        `remove ${targets.map((t) => t.name).join(' ')}${options.discardUnmerged ? ' (discard unmerged)' : ''}`,
      );
      const ids = new Set(targets.map((t) => t.id));
      world.resources = world.resources.filter((r) => !ids.has(r.id));
      return { removed: targets, skipped: [] };
    },
    projectBridge: async (dir) => {
      calls.push(`bridge ${dir}`);
      return {
        ...(world.bridges[dir] ?? { policy: undefined, networks: [], sidecars: undefined }),
        calls: world.bridgeCalls[dir] ?? [],
      };
    },
    bridgeCalls: async (dir) => world.bridgeCalls[dir] ?? [],
    followCompose: (_dir, name, onChange, onEnd) => {
      const listener = { onChange, onEnd };
      const set = composeListeners.get(name) ?? new Set();
      composeListeners.set(name, set.add(listener));
      return { close: () => set.delete(listener) };
    },
    composeEvent(name) {
      for (const listener of composeListeners.get(name) ?? []) listener.onChange();
    },
    followEngine: (_engine, onChange, onEnd) => {
      const listener = { onChange, onEnd };
      listeners.add(listener);
      return { close: () => listeners.delete(listener) };
    },
    ping: async () => {
      if (engineDown) throw unreachable();
    },
    keyBindings: async () => ({ bindings: defaultBindings(), problems: [] }),
    changeSession(projectDir, changed, from) {
      const list = (world.sessions[projectDir] ??= []);
      const index = list.findIndex((s) => s.name === changed.name);
      if (index >= 0) list[index] = changed;
      else list.push(changed);
      const watcher = watchers.get(projectDir);
      watcher?.onList([...list]);
      watcher?.onChange({ session: changed, from });
    },
    engineEvent() {
      for (const listener of listeners) listener.onChange();
    },
    setEngineDown(down) {
      engineDown = down;
      if (down) {
        for (const listener of [...listeners]) {
          listeners.delete(listener);
          listener.onEnd(unreachable());
        }
      }
    },
  };
  return domain;
}
