import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where claude-tui keeps its own state on the host (XDG state dir): the log, the firewall policy
 * each gateway reads, what the person approved. Outside every workspace, so no agent can write it.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'claude-tui');
}
