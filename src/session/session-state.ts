/**
 * A session's state as the person sees it, and which source decided it: the agent's own hooks
 * (Claude Code), or, for agents without hooks, whether its screen changed lately.
 */
export type SessionState = 'working' | 'waiting' | 'idle' | 'exited' | 'unknown';

export interface SessionInfo {
  name: string;
  state: SessionState;
  /** hook (the agent said so), activity (screen output timing), or start/agent (claude-tui). */
  source: string;
  /** When the state last changed (ISO). */
  since: string;
  running: boolean;
  created: string | null;
  lastActivity: string | null;
  exitCode: number | null;
  /** Where it runs: the project's agent container, or a git session's own container and clone. */
  kind: 'workspace' | 'git';
  /** Sessions started with --git: commits not landed yet (ahead) and landed so far. */
  git?: { ahead: number; landed: number };
}

/** How recently the screen must have changed for an agent without hooks to count as working. */
export const ACTIVE_WITHIN_MS = 3000;

const iso = (epochSeconds: number) => (epochSeconds > 0 ? new Date(epochSeconds * 1000).toISOString() : null);

/** One line of `session list` (images/session.sh), tab-separated. */
export function parseSessionLine(line: string, now: number): SessionInfo | undefined {
  const [name, state, since, source, running, created, activity, code, kind] = line.split('\t');
  if (!name || !state || !running) return undefined;
  const info: SessionInfo = {
    name,
    state: (['working', 'waiting', 'idle', 'exited'].includes(state) ? state : 'unknown') as SessionState,
    source: source ?? 'none',
    since: iso(Number(since)) ?? new Date(now).toISOString(),
    running: running === 'yes',
    created: iso(Number(created)),
    lastActivity: iso(Number(activity)),
    exitCode: code && code !== '-' ? Number(code) : null,
    kind: kind === 'git' ? 'git' : 'workspace',
  };
  if (!info.running && info.state !== 'exited') {
    // The tmux session is gone without the agent saying so (killed, or the container restarted).
    return { ...info, state: 'exited', source: 'tmux' };
  }
  if (info.running && info.source !== 'hook' && info.state !== 'exited' && info.lastActivity) {
    // No hook has spoken: judge by output timing.
    const active = now - Date.parse(info.lastActivity) < ACTIVE_WITHIN_MS;
    return { ...info, state: active ? 'working' : 'idle', source: 'activity' };
  }
  return info;
}

export function parseSessionList(text: string, now: number): SessionInfo[] {
  return text
    .split('\n')
    .map((line) => parseSessionLine(line, now))
    .filter((s): s is SessionInfo => s !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}
