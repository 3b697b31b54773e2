import { join } from 'node:path';
import { settingsDir } from '../config/settings-dir.js';
import { composeProjectFilter, everythingManaged } from '../docker/labels.js';
import { describeProjectBridge, recentBridgeCalls } from '../app/project-bridge.js';
import { approveProjectPolicy } from '../app/approve-policy.js';
import { describeAllowlist } from '../app/describe-allowlist.js';
import { describeHostRunChanges, projectAlerts } from '../app/project-alerts.js';
import { summarizePending } from '../policy/describe-pending.js';
import { applyProjectAllowlist, editProjectAllowlist } from '../app/edit-project-allowlist.js';
import { peekFirewallStatus, readRefused } from '../firewall/gateway-control.js';
import { down } from '../project/down.js';
import type { HostServices } from '../project/host-services.js';
import {
  engineGroups,
  groupOf,
  reach,
  REACH_TIMEOUT_MS,
  type EngineGroup,
} from '../project/engine-projects.js';
import { onEngine } from '../project/project-engine.js';
import type { EngineRegistry } from '../docker/engine-registry.js';
import { deepestContaining, projectFolderAround } from '../project/enclosing-project.js';
import { projectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { locateProject } from '../project/locate.js';
import { sshRelayPaths, stopRelay } from '../project/ssh-relay.js';
import { bridgeRelayPaths, stopBridgeRelay } from '../bridge/relay-files.js';
import { listManagedResources, removeManagedResources } from '../project/inventory.js';
import { listProjects, type ProjectStatus } from '../project/status.js';
import { upProject } from '../app/up-project.js';
import { gitSessionCounts } from '../app/git-session-work.js';
import { startGitSession } from '../app/start-git-session.js';
import { attachSession } from '../session/attach-session.js';
import { followScreen } from '../session/follow-screen.js';
import { sessionTarget } from '../session/session-target.js';
import { stopSession, targetOf } from '../session/sessions.js';
import { startAgentSession } from '../session/start-agent-session.js';
import { followSessions } from '../session/watch-sessions.js';
import type { DashboardDomain } from './dashboard-domain.js';
import { applyOverrides } from './keymap.js';
import { screenAhead, type ScreenAhead } from './screen-ahead.js';

export interface HostTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * The dashboard's view of the world, made of the same domain operations the subcommands use.
 * `cliPath` is the claude-tui script, for the background notifier a started session needs;
 * `startDir` the folder the dashboard was started in (symlinks resolved), whose project is listed
 * even when claude-tui has not met it yet.
 *
 * The Engine is asked for the first look (is it there, which projects) as soon as this is made,
 * so that it answers while the screen's code is still loading; the first calls get those answers.
 */
export function createHostDomain(
  services: HostServices,
  terminal: HostTerminal,
  paths: { cliPath: string; cwd: string; startDir?: string },
): DashboardDomain & { firstLook: Promise<void> } {
  const { cliPath, cwd, startDir } = paths;
  const { settings } = services;
  const registry = services.engines ?? singleEngine(services);
  const project = (dir: string) => projectIdentity(dir);
  // Looked for once, on disk only: a few stat calls, no Docker.
  const here = startDir ? projectFolderAround(startDir, services.env.HOME) : null;
  // Which Engine each project is on, from the app settings: read at once, and again with every
  // list (a project added meanwhile is listed on the current Engine).
  let known: EngineGroup[] = [];
  const readGroups = (settingsRead = settings.read()) => {
    const read = settingsRead.then((settingsNow) => (known = engineGroups(registry, settingsNow)));
    read.catch(() => undefined);
    return read;
  };
  // The first read serves the start: the Engines to look at and the keys (read once, not twice).
  const firstRead = settings.read();
  const groups = readGroups(firstRead);
  /** A project's operations run on the Engine it lives on (where it is remembered, else the current one). */
  const on = (dir: string): HostServices =>
    onEngine(services, known.length ? groupOf(known, dir).handle : registry.current);
  const engineOf = (dir: string) => on(dir).engine;
  const listGroup = async ({ handle, known: dirs, current }: EngineGroup) => {
    if (!current || !startDir || !here || dirs.includes(here)) return listProjects(handle.engine, dirs);
    return withoutNeedlessGuess(await listProjects(handle.engine, [...dirs, here]), here, startDir);
  };
  const readProjects = async (id: string) => {
    const group = (await readGroups()).find((g) => g.handle.id === id);
    // No project remembers that Engine any more (moved since the dashboard opened): nothing there.
    return group ? listGroup(group) : [];
  };
  // The first look at every Engine is asked for now, each on its own: a slow one delays no other.
  const ahead = new Map<string, { ping: Ahead<void>; list: Ahead<ProjectStatus[]> }>();
  let previewAhead: ScreenAhead | undefined;
  let firewallAhead: Ahead<string> | undefined;
  /** The first look's answers (pings, the preview's start), awaited by `firstLook`. */
  const looks: Promise<unknown>[] = [];
  void groups.then(
    (all) => {
      // The start project's preview and firewall state: the last parts of the first full frame.
      if (here) {
        const { engine } = groupOf(all, here).handle;
        const start = project(here);
        previewAhead = screenAhead(engine, start, projectStateDir(start, services.env));
        firewallAhead = askedAhead(() => peekFirewallStatus(engine, start.names.gateway));
        looks.push(firewallAhead.asked);
      }
      for (const g of all) {
        // The settings were just read: the first list goes out at once, not after a re-read.
        const list = askedAhead(() => listGroup(g));
        // A remote Engine's first list is its ping too: every request at the start opens a
        // connection of its own, and over TLS (or ssh) each is one handshake (or login) more.
        const ping = askedAhead(() =>
          g.handle.engine.remote ? reach(g.handle, REACH_TIMEOUT_MS, list.asked) : reach(g.handle),
        );
        looks.push(ping.asked);
        ahead.set(g.handle.id, { ping, list });
      }
      if (previewAhead) looks.push(previewAhead.ready);
    },
    () => undefined,
  );
  return {
    /** Settles when every Engine answered its first ping (or failed to), and the preview is read. */
    firstLook: groups.then(
      () => Promise.allSettled(looks).then(() => undefined),
      () => undefined,
    ),
    async engines() {
      // A settings file that cannot be read: the current Engine all the same (its list says why).
      const all = await groups.catch(() => [{ handle: registry.current, current: true, known: [] }]);
      return all.map((g) => ({ id: g.handle.id, endpoint: g.handle.endpoint, current: g.current }));
    },
    listProjects: (id) => ahead.get(id)?.list.take() ?? readProjects(id),
    ping: async (id) => {
      const handle = (await groups).find((g) => g.handle.id === id)?.handle ?? registry.current;
      return ahead.get(id)?.ping.take() ?? reach(handle);
    },
    firewallStatus: (dir) =>
      (dir === here ? firewallAhead?.take() : undefined) ??
      peekFirewallStatus(engineOf(dir), project(dir).names.gateway),
    async addProject(path) {
      const expanded = path.replace(/^~(?=$|\/)/, services.env.HOME ?? '~');
      const { dir } = locateProject(expanded, cwd);
      await settings.rememberProject(dir);
      return dir;
    },
    async upProject(dir, onProgress) {
      const progress = { step: onProgress, output: () => undefined, note: onProgress };
      const result = await upProject(on(dir), project(dir), progress);
      const waiting = summarizePending(result.review.pending);
      const hostRun = result.hostRunChanged.length
        ? ` · changed since the last up (look before running them): ${describeHostRunChanges(result.hostRunChanged)}`
        : '';
      const firewall = result.firewall ? ` · firewall: ${result.firewall}` : '';
      const mcp = result.mcpNotes.map((note) => ` · ${note}`).join('');
      return `${project(dir).name} is ${result.changed ? 'up' : 'already up'}${firewall}${waiting ? ` · ${waiting} (r reviews it)` : ''}${hostRun}${mcp}`;
    },
    async downProject(dir) {
      await down(engineOf(dir), project(dir));
      await stopRelay(sshRelayPaths(projectStateDir(project(dir), services.env)));
      await stopBridgeRelay(bridgeRelayPaths(projectStateDir(project(dir), services.env)));
    },
    watchSessions(dir, onList, onChange, onEnd, onProblem) {
      const watcher = followSessions(
        engineOf(dir),
        project(dir),
        projectStateDir(project(dir), services.env),
        onChange,
        onList,
        onProblem,
      );
      watcher.done.then(
        () => onEnd(),
        (error: unknown) => onEnd(error instanceof Error ? error : new Error(String(error))),
      );
      return { stop: watcher.stop };
    },
    followScreen(dir, name, onScreen) {
      const early = previewAhead?.take(dir, name, onScreen);
      if (early) return early;
      // A git session's screen is read in its own container: where it runs is looked up first.
      let stopped = false;
      let follower: { stop: () => void } | undefined;
      const engine = engineOf(dir);
      void sessionTarget(engine, project(dir), name).then((target) => {
        if (!stopped) follower = followScreen(engine, target, name, onScreen);
      });
      return {
        stop: () => {
          stopped = true;
          follower?.stop();
        },
      };
    },
    async startSession(dir, { git, ...request }) {
      const size = { cols: terminal.stdout.columns || 120, rows: terminal.stdout.rows || 40 };
      const { name } = git
        ? await startGitSession(on(dir), project(dir), { ...request, includeChanges: false, size, cliPath })
        : await startAgentSession(on(dir), project(dir), { ...request, size, cliPath });
      return name;
    },
    stopSession: (dir, name) => stopSession(engineOf(dir), project(dir), name),
    async gitCounts(dir, names) {
      const counts = await Promise.all(
        names.map((name) => gitSessionCounts(engineOf(dir), project(dir), name)),
      );
      return Object.fromEntries(names.flatMap((name, i) => (counts[i] ? [[name, counts[i]]] : [])));
    },
    async attachSession(dir, session) {
      // The list says where the session runs: no lookup on the way to its screen.
      const report = await attachSession(
        { engine: engineOf(dir), env: on(dir).env },
        project(dir),
        session.name,
        terminal,
        await settings.read(),
        targetOf(project(dir), session),
      );
      return report.message;
    },
    describeAllowlist: (dir) => describeAllowlist(on(dir), project(dir)),
    editAllowlist: (dir, action, values) => editProjectAllowlist(on(dir), project(dir), action, values),
    async applyAllowlist(dir) {
      const result = await applyProjectAllowlist(on(dir), project(dir));
      return { status: result.status, waiting: summarizePending(result.review.pending) };
    },
    projectAlerts: (dir) => projectAlerts(on(dir), project(dir)),
    async approvePolicy(dir, pending, onProgress) {
      const progress = { step: onProgress, output: () => undefined, note: onProgress };
      const { applied } = await approveProjectPolicy(on(dir), project(dir), pending, progress);
      if (!applied) return 'Approved; the project takes it when it comes up.';
      return `Approved and applied${applied.firewall ? ` · firewall: ${applied.firewall}` : ''}`;
    },
    async refused(dir) {
      const gateway = project(dir).names.gateway;
      const engine = engineOf(dir);
      if (!(await engine.inspectContainer(gateway))?.State.Running) return [];
      return readRefused(engine, gateway);
    },
    projectBridge: (dir) => describeProjectBridge(on(dir), project(dir)),
    bridgeCalls: (dir) => recentBridgeCalls(on(dir), project(dir)),
    followCompose: (dir, name, onChange, onEnd) =>
      engineOf(dir).events(composeProjectFilter(name), () => onChange(), onEnd),
    // The cleanup screen works on the current Engine.
    inventory: () => listManagedResources(registry.current.engine),
    removeResources: (resources, options) =>
      removeManagedResources(registry.current.engine, resources, options),
    followEngine(id, onChange, onEnd) {
      const handle = known.find((g) => g.handle.id === id)?.handle;
      if (!handle) {
        queueMicrotask(() => onEnd(new Error(`no Engine "${id}" is shown`)));
        return { close: () => undefined };
      }
      return handle.engine.events(everythingManaged, () => onChange(), onEnd);
    },
    async keyBindings() {
      const { bindings, problems } = applyOverrides((await firstRead).keys);
      const file = join(settingsDir(services.env), 'config.json');
      return { bindings, problems: problems.map((problem) => `${file}: ${problem}`) };
    },
  };
}

/** Services made without a registry (tests): their one Engine, under the name `default`. */
function singleEngine(services: HostServices): EngineRegistry {
  const current = {
    id: 'default',
    ref: { context: 'default' },
    endpoint: services.engine.endpoint,
    engine: services.engine,
    env: services.env,
  };
  return { current, chosenBy: 'default', explicit: false, get: () => current };
}

/**
 * The folder guessed to be the project the dashboard was started in is listed (as down, so that
 * `u` brings it up) only while no project claude-tui knows holds the start folder; one it knows
 * from Docker is not a guess.
 */
function withoutNeedlessGuess(projects: ProjectStatus[], guess: string, startDir: string): ProjectStatus[] {
  const guessed = projects.find((p) => p.dir === guess);
  if (!guessed || guessed.gateway || guessed.agent || guessed.volumes.length) return projects;
  const others = projects.filter((p) => p !== guessed);
  return deepestContaining(others, startDir) ? others : projects;
}

/**
 * Starts `read` now (its promise is `asked`) and hands that promise to the first `take` only;
 * later callers (and a first caller that comes after a while, when the answer may be stale) get
 * undefined and ask again.
 */
interface Ahead<T> {
  asked: Promise<T>;
  take: () => Promise<T> | undefined;
}

function askedAhead<T>(read: () => Promise<T>, freshForMs = 2000): Ahead<T> {
  const at = Date.now();
  const asked = read();
  // Nobody may ever take it (no terminal, say): its failure must not be reported as unhandled.
  asked.catch(() => undefined);
  let taken = false;
  return {
    asked,
    take: (): Promise<T> | undefined => {
      const fresh = !taken && Date.now() - at < freshForMs;
      taken = true;
      return fresh ? asked : undefined;
    },
  };
}
