import type { SessionInfo } from './session-state.js';

/** The state as one word, with the exit code when the agent exited. */
export function stateLabel(session: SessionInfo): string {
  return session.state === 'exited' && session.exitCode !== null
    ? `exited (${session.exitCode})`
    : session.state;
}

/** How long ago an ISO time was, in the largest whole unit: 42s, 5m, 3h, 2d; `-` for none. */
export function ago(iso: string | null, now: number = Date.now()): string {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
