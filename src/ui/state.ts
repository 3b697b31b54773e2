import type { ProjectAlerts } from '../app/project-alerts.js';
import { deepestContaining } from '../project/enclosing-project.js';
import type { ProjectStatus } from '../project/status.js';
import type { EngineSummary } from './dashboard-domain.js';
import type { SessionInfo } from '../session/session-state.js';

/**
 * The dashboard's shared state and the one reducer that changes it. Selection is kept by name,
 * not by index, so that a refresh that adds or removes rows never moves it. Until the person picks
 * a project, every list selects the one holding the folder the dashboard was started in, so a
 * list that comes without it (an older answer, say) cannot take its place for good.
 */
export type Screen =
  | { name: 'projects' }
  | { name: 'allowlist'; projectDir: string }
  | { name: 'bridge'; projectDir: string }
  | { name: 'policy'; projectDir: string }
  | { name: 'cleanup' }
  | { name: 'merge'; projectDir: string; session: string };

/** What the one-line prompt at the bottom is asking for. */
export type PromptPurpose = 'add-project' | 'start-session' | 'filter';

export type Overlay =
  | { kind: 'help' }
  | { kind: 'prompt'; purpose: PromptPurpose; label: string; value: string }
  | { kind: 'confirm'; message: string; action: ConfirmAction };

export type ConfirmAction =
  { type: 'stop-session'; projectDir: string; name: string } | { type: 'down-project'; projectDir: string };

export type Focus = 'projects' | 'sessions';

export interface StatusMessage {
  text: string;
  kind: 'info' | 'error' | 'busy' | 'notice';
}

/** A project as listed, with the Engine it was listed under. */
export type ListedProject = ProjectStatus & { engine?: string };

/** An Engine on screen: where it is, and since when and why it cannot be reached, if it cannot. */
export interface EngineView extends EngineSummary {
  down: { reason: string; since: number } | null;
  /** Its projects have been read at least once. */
  read: boolean;
}

export interface DashboardState {
  screen: Screen;
  overlay: Overlay | null;
  /** Every Engine's projects, Engine after Engine in the order of `engines`. */
  projects: ListedProject[];
  engines: EngineView[];
  loaded: boolean;
  /** Firewall status per project dir, read from running gateways. */
  firewall: Record<string, string>;
  /** Per project dir: a policy change waiting, host-run files changed (read from the host's files). */
  alerts: Record<string, ProjectAlerts>;
  sessions: Record<string, SessionInfo[]>;
  selectedProject: string | null;
  selectedSession: string | null;
  focus: Focus;
  filter: string;
  status: StatusMessage | null;
  /** Sessions that changed to waiting or done since the person last looked at them. */
  attention: string[];
  /** Shown across the top while the current Docker Engine cannot be reached. */
  engineDown: string | null;
  /** The folder the dashboard was started in, until the person picks a project themselves. */
  startDir: string | null;
}

export type Action =
  | { type: 'engines'; engines: EngineSummary[] }
  /** One Engine's projects (`engine` absent: the only one). */
  | { type: 'projects-loaded'; projects: ProjectStatus[]; engine?: string }
  | { type: 'firewall-read'; projectDir: string; status: string }
  | { type: 'alerts-read'; projectDir: string; alerts: ProjectAlerts }
  | { type: 'sessions-listed'; projectDir: string; sessions: SessionInfo[] }
  /** Git sessions' commit counts, read from their clones (the lists do not carry them). */
  | { type: 'git-counts'; projectDir: string; counts: Record<string, { ahead: number; landed: number }> }
  | { type: 'move'; delta: number | 'top' | 'bottom' }
  | { type: 'focus'; focus?: Focus }
  | { type: 'select-project'; projectDir: string }
  | { type: 'open'; screen: Screen }
  | { type: 'overlay'; overlay: Overlay | null }
  | { type: 'prompt-input'; value: string }
  | { type: 'filter'; filter: string }
  | { type: 'status'; status: StatusMessage | null }
  | { type: 'attention'; key: string }
  | { type: 'engine'; down: string | null; engine?: string; current?: boolean; since?: number };

export function initialState(startDir: string | null = null): DashboardState {
  return {
    screen: { name: 'projects' },
    overlay: null,
    projects: [],
    engines: [],
    loaded: false,
    firewall: {},
    alerts: {},
    sessions: {},
    selectedProject: null,
    selectedSession: null,
    focus: 'projects',
    filter: '',
    status: null,
    attention: [],
    engineDown: null,
    startDir,
  };
}

/** The projects the filter lets through (matched against name and path). */
export function visibleProjects(state: Pick<DashboardState, 'filter' | 'projects'>): ListedProject[] {
  const filter = state.filter.toLowerCase();
  if (!filter) return state.projects;
  return state.projects.filter(
    (p) => p.name.toLowerCase().includes(filter) || p.dir.toLowerCase().includes(filter),
  );
}

export function selectedProject(state: DashboardState): ProjectStatus | undefined {
  return visibleProjects(state).find((p) => p.dir === state.selectedProject);
}

export function sessionsOf(state: DashboardState, projectDir: string | null): SessionInfo[] {
  return projectDir ? (state.sessions[projectDir] ?? []) : [];
}

export function selectedSession(state: DashboardState): SessionInfo | undefined {
  return sessionsOf(state, state.selectedProject).find((s) => s.name === state.selectedSession);
}

/** What the person needs to know of a project's alerts, for telling one reading from the next. */
function alertsKey(alerts: ProjectAlerts): string {
  return JSON.stringify([
    alerts.approvedAt,
    alerts.pending && { ...alerts.pending, snapshot: null },
    alerts.hostRun,
  ]);
}

/** Whether the project has something for the person to look at before trusting it. */
export function needsReview(alerts: ProjectAlerts | undefined): boolean {
  return Boolean(alerts && (alerts.pending || alerts.hostRun.length));
}

export const attentionKey = (projectDir: string, session: string) => `${projectDir}\t${session}`;

/** Keeps a selection that still exists, or falls back to the first item. */
function keep<T>(items: readonly T[], current: string | null, id: (item: T) => string): string | null {
  if (current !== null && items.some((item) => id(item) === current)) return current;
  const first = items[0];
  return first === undefined ? null : id(first);
}

function step<T>(
  items: readonly T[],
  current: string | null,
  id: (item: T) => string,
  delta: number | 'top' | 'bottom',
): string | null {
  if (!items.length) return null;
  const index = Math.max(
    0,
    items.findIndex((item) => id(item) === current),
  );
  const next =
    delta === 'top'
      ? 0
      : delta === 'bottom'
        ? items.length - 1
        : Math.min(items.length - 1, Math.max(0, index + delta));
  return id(items[next]!);
}

/** After the project changes, the session selection follows that project's list. */
function withSessionSelection(state: DashboardState): DashboardState {
  const sessions = sessionsOf(state, state.selectedProject);
  return { ...state, selectedSession: keep(sessions, state.selectedSession, (s) => s.name) };
}

function seen(state: DashboardState): DashboardState {
  if (!state.selectedProject || !state.selectedSession) return state;
  const key = attentionKey(state.selectedProject, state.selectedSession);
  return state.attention.includes(key)
    ? { ...state, attention: state.attention.filter((k) => k !== key) }
    : state;
}

export function reduce(state: DashboardState, action: Action): DashboardState {
  switch (action.type) {
    case 'engines':
      return {
        ...state,
        engines: action.engines.map(
          (e) => state.engines.find((v) => v.id === e.id) ?? { ...e, down: null, read: false },
        ),
      };
    case 'projects-loaded': {
      const next = {
        ...state,
        projects: withEngineProjects(state, action.engine, action.projects),
        engines: state.engines.map((e) => (e.id === action.engine ? { ...e, read: true } : e)),
        loaded: true,
      };
      const visible = visibleProjects(next);
      const here = state.startDir === null ? undefined : deepestContaining(visible, state.startDir);
      return withSessionSelection({
        ...next,
        selectedProject: here?.dir ?? keep(visible, state.selectedProject, (p) => p.dir),
      });
    }
    case 'firewall-read':
      return { ...state, firewall: { ...state.firewall, [action.projectDir]: action.status } };
    case 'alerts-read': {
      // Read every few seconds: an unchanged answer must not cost a frame.
      const known = state.alerts[action.projectDir];
      if (known && alertsKey(known) === alertsKey(action.alerts)) return state;
      return { ...state, alerts: { ...state.alerts, [action.projectDir]: action.alerts } };
    }
    case 'sessions-listed': {
      // Counts last read stay until read again.
      const before = state.sessions[action.projectDir] ?? [];
      const sessions = action.sessions.map((s) => {
        const git = before.find((b) => b.name === s.name)?.git;
        return git && !s.git && s.kind === 'git' ? { ...s, git } : s;
      });
      // The watchers report every second; an unchanged list must not cost a frame.
      if (JSON.stringify(state.sessions[action.projectDir]) === JSON.stringify(sessions)) return state;
      const next = { ...state, sessions: { ...state.sessions, [action.projectDir]: sessions } };
      return action.projectDir === state.selectedProject ? withSessionSelection(next) : next;
    }
    case 'git-counts': {
      const current = state.sessions[action.projectDir];
      if (!current) return state;
      const sessions = current.map((s) => {
        const git = action.counts[s.name];
        return git ? { ...s, git } : s;
      });
      if (JSON.stringify(current) === JSON.stringify(sessions)) return state;
      return { ...state, sessions: { ...state.sessions, [action.projectDir]: sessions } };
    }
    case 'move': {
      if (state.focus === 'sessions') {
        const sessions = sessionsOf(state, state.selectedProject);
        return seen({
          ...state,
          selectedSession: step(sessions, state.selectedSession, (s) => s.name, action.delta),
        });
      }
      const selected = step(visibleProjects(state), state.selectedProject, (p) => p.dir, action.delta);
      // A key pressed before the list is there chooses nothing yet.
      const startDir = state.loaded ? null : state.startDir;
      return withSessionSelection({ ...state, selectedProject: selected, startDir });
    }
    case 'focus': {
      const focus = action.focus ?? (state.focus === 'projects' ? 'sessions' : 'projects');
      if (focus === 'sessions' && !sessionsOf(state, state.selectedProject).length) return state;
      return seen({ ...state, focus });
    }
    case 'select-project':
      return withSessionSelection({
        ...state,
        selectedProject: action.projectDir,
        focus: 'projects',
        startDir: null,
      });
    case 'open':
      return { ...state, screen: action.screen, overlay: null };
    case 'overlay':
      return { ...state, overlay: action.overlay };
    case 'prompt-input':
      return state.overlay?.kind === 'prompt'
        ? { ...state, overlay: { ...state.overlay, value: action.value } }
        : state;
    case 'filter': {
      const next = { ...state, filter: action.filter, focus: 'projects' as const, startDir: null };
      return withSessionSelection({
        ...next,
        selectedProject: keep(visibleProjects(next), state.selectedProject, (p) => p.dir),
      });
    }
    case 'status':
      return { ...state, status: action.status };
    case 'attention':
      return state.attention.includes(action.key)
        ? state
        : { ...state, attention: [...state.attention, action.key] };
    case 'engine': {
      const engines = state.engines.map((e) =>
        e.id === action.engine
          ? {
              ...e,
              down: action.down === null ? null : { reason: action.down, since: action.since ?? Date.now() },
            }
          : e,
      );
      // The banner speaks of the current Engine; the others say it on their own heading.
      const engineDown = action.current === false ? state.engineDown : action.down;
      // An Engine that went away takes its projects with it until it is back.
      const projects =
        action.down !== null && action.current === false && action.engine !== undefined
          ? withEngineProjects(state, action.engine, [])
          : state.projects;
      if (projects === state.projects) return { ...state, engines, engineDown };
      return withSessionSelection({
        ...state,
        engines,
        engineDown,
        projects,
        selectedProject: keep(visibleProjects({ ...state, projects }), state.selectedProject, (p) => p.dir),
      });
    }
  }
}

/** The whole list with one Engine's projects replaced, Engines kept in their order. */
function withEngineProjects(
  state: DashboardState,
  engine: string | undefined,
  projects: ProjectStatus[],
): ListedProject[] {
  if (engine === undefined) return projects;
  const tagged = projects.map((p) => ({ ...p, engine }));
  const order = state.engines.map((e) => e.id);
  const rank = (id: string | undefined) => {
    const at = order.indexOf(id ?? '');
    return at < 0 ? order.length : at;
  };
  return [...state.projects.filter((p) => p.engine !== engine), ...tagged].sort(
    (a, b) => rank(a.engine) - rank(b.engine),
  );
}

/** The projects as shown, with a heading for each Engine before its projects (only with several Engines). */
export type ProjectListRow =
  | { kind: 'engine'; engine: EngineView }
  | { kind: 'engine-down'; engine: EngineView }
  | { kind: 'project'; project: ListedProject };

export function projectListRows(state: DashboardState): ProjectListRow[] {
  const projects = visibleProjects(state);
  if (state.engines.length < 2) return projects.map((project) => ({ kind: 'project', project }));
  return state.engines.flatMap((engine) => [
    { kind: 'engine' as const, engine },
    // Why it cannot be reached gets a line of its own: the reason names the address, and is long.
    ...(engine.down ? [{ kind: 'engine-down' as const, engine }] : []),
    ...projects
      .filter((p) => p.engine === engine.id)
      .map((project) => ({ kind: 'project' as const, project })),
  ]);
}
