import type { AllowlistView } from '../app/describe-allowlist.js';
import type { EditResult } from '../app/edit-project-allowlist.js';
import type { ProjectBridge } from '../app/project-bridge.js';
import type { BridgeCall } from '../bridge/call-log.js';
import type { ProjectAlerts } from '../app/project-alerts.js';
import type { PendingChange } from '../policy/review-policy.js';
import type { RefusedEntry } from '../firewall/gateway-control.js';
import type { Inventory, ManagedResource } from '../project/inventory.js';
import type { ProjectStatus } from '../project/status.js';
import type { SessionInfo } from '../session/session-state.js';
import type { StateChange } from '../session/watch-sessions.js';
import type { KeyBindings } from './keymap.js';

/**
 * Everything the dashboard does to the world, as one small interface. The real one
 * (host-domain.ts) calls the same domain operations the subcommands call; screen tests pass a
 * fake. Nothing here exists only for the dashboard.
 */
/** A Docker Engine the dashboard shows projects of. */
export interface EngineSummary {
  /** Its context's name, or the DOCKER_HOST address. */
  id: string;
  endpoint: string;
  /** The Engine this run chose; the first one, and the one the banner speaks of. */
  current: boolean;
}

export interface DashboardDomain {
  /** The Engines to show, the current one first, then those a project remembers. */
  engines(): Promise<EngineSummary[]>;
  /**
   * One Engine's projects: found by label there and those the person has used that live there
   * (those whose folder is gone last), and, on the current Engine, the folder the dashboard was
   * started in when it looks like a project none of them holds.
   */
  listProjects(engineId: string): Promise<ProjectStatus[]>;
  /** The firewall's status line from a running gateway. */
  firewallStatus(projectDir: string): Promise<string>;
  /** Adds a project by path (it must be a directory); returns its absolute path. */
  addProject(path: string): Promise<string>;
  upProject(projectDir: string, onProgress: (line: string) => void): Promise<string>;
  downProject(projectDir: string): Promise<void>;

  /** Follows a running project's sessions: every list, and each change of state. */
  watchSessions(
    projectDir: string,
    onList: (sessions: SessionInfo[]) => void,
    onChange: (change: StateChange) => void,
    onEnd: (error?: Error) => void,
    /** Something the person should know though the watching goes on (a feed that broke). */
    onProblem: (message: string) => void,
  ): { stop: () => void };
  /** The session's screen now and on each change, until stopped. */
  followScreen(projectDir: string, name: string, onScreen: (text: string) => void): { stop: () => void };
  /** Starts a session (a git session, on a clone of the repository, with `git`); returns its name. */
  startSession(
    projectDir: string,
    request: { name?: string; agentArgs: string[]; git?: boolean },
  ): Promise<string>;
  stopSession(projectDir: string, name: string): Promise<void>;
  /** Git sessions' commits since their base and how many landed (those whose container runs). */
  gitCounts(projectDir: string, names: string[]): Promise<Record<string, { ahead: number; landed: number }>>;
  /** Hands the terminal to the session until detach or its end; says what happened. */
  attachSession(projectDir: string, session: Pick<SessionInfo, 'name' | 'kind'>): Promise<string>;

  describeAllowlist(projectDir: string): Promise<AllowlistView>;
  editAllowlist(projectDir: string, action: 'add' | 'rm', values: string[]): Promise<EditResult>;
  /** Applies the approved allowlist; says what waits for approval, if anything. */
  applyAllowlist(projectDir: string): Promise<{ status: string; waiting: string | null }>;
  refused(projectDir: string): Promise<RefusedEntry[]>;

  /** A policy change waiting for approval, and files that run on the host changed lately. */
  projectAlerts(projectDir: string): Promise<ProjectAlerts>;
  /** Approves exactly the reviewed change and applies it to the project if it is up; says what it did. */
  approvePolicy(
    projectDir: string,
    pending: PendingChange,
    onProgress: (line: string) => void,
  ): Promise<string>;

  /** The networks the project joins, its compose sidecars and the bridge's recent calls, as approved. */
  projectBridge(projectDir: string): Promise<ProjectBridge>;
  /** Only the bridge's recent calls, newest first (a read of the end of a file on the host). */
  bridgeCalls(projectDir: string): Promise<BridgeCall[]>;
  /** Hears every change to the compose project's containers; `onEnd` when the stream breaks. */
  followCompose(
    projectDir: string,
    composeProject: string,
    onChange: () => void,
    onEnd: (error?: Error) => void,
  ): { close: () => void };

  /** Everything claude-tui made in Docker, with sizes, owners and what uses it. */
  inventory(): Promise<Inventory>;
  removeResources(
    resources: ManagedResource[],
    options: { discardUnmerged: boolean },
  ): Promise<{ removed: ManagedResource[]; skipped: { resource: ManagedResource; reason: string }[] }>;

  /** Hears every change to what claude-tui owns on that Engine; `onEnd` when the stream breaks. */
  followEngine(engineId: string, onChange: () => void, onEnd: (error?: Error) => void): { close: () => void };
  /** Resolves when the Engine answers (within a few seconds); rejects with the reason it does not. */
  ping(engineId: string): Promise<void>;

  keyBindings(): Promise<{ bindings: KeyBindings; problems: string[] }>;
}
