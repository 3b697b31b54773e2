import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder of the app settings and the secrets file; CLAUDE_TUI_CONFIG_DIR overrides it. */
export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_TUI_CONFIG_DIR) return env.CLAUDE_TUI_CONFIG_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'claude-tui');
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'claude-tui');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'claude-tui');
}
