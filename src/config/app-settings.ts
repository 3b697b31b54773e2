import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Conf from 'conf';
import { ConfigError } from '../errors.js';

/**
 * App-wide settings kept by `conf`: projects the person has used, extra CA certificates for every
 * project. Writes go through conf; reads on the hot path (`up` with nothing to do) parse the same
 * file directly, because loading conf costs more than the whole rest of such an `up`. Both use
 * settingsDir(), so they cannot disagree on where the file is.
 */
export interface NotificationSettings {
  bell?: boolean;
  desktop?: boolean;
  /** Run on the host with CLAUDE_TUI_PROJECT, CLAUDE_TUI_SESSION, CLAUDE_TUI_STATE in its env. */
  command?: string;
  /** POSTed the event as JSON. */
  webhook?: string;
  sms?: { to?: string; from?: string; accountSid?: string; authToken?: string; apiBase?: string };
}

export interface AppSettings {
  projects: { dir: string; lastUsed: string }[];
  caCertificates: string[];
  /** Fetch GitHub's address ranges for the default allowlist (default true). */
  githubMeta?: boolean;
  /** How to tell the person a session waits or is done (bell, desktop, command, webhook, sms). */
  notifications?: NotificationSettings;
  /** The key that detaches from a session (default ctrl+q). */
  detachKey?: string;
  /** Dashboard key bindings: command id → key or keys (see the help overlay, ?). */
  keys?: Record<string, unknown>;
  /** Default firewall self-check targets (host:port) for projects that set none. */
  selfCheck?: { blocked?: string[]; allowed?: string[] };
  /** Project-relative paths watched for changes besides the built-in ones (they run on the host). */
  watchPaths?: string[];
}

export interface AppSettingsStore {
  read(): Promise<AppSettings>;
  rememberProject(dir: string): Promise<void>;
  forgetProject(dir: string): Promise<void>;
}

type StoredByConf = Pick<AppSettings, 'projects' | 'caCertificates'>;
const defaults: StoredByConf = { projects: [], caCertificates: [] };

export function settingsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_TUI_CONFIG_DIR) return env.CLAUDE_TUI_CONFIG_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'claude-tui');
  if (process.platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'claude-tui');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'claude-tui');
}

export function createAppSettingsStore(env: NodeJS.ProcessEnv = process.env): AppSettingsStore {
  const dir = settingsDir(env);
  // conf writes only the fields it keeps for us; the rest are the person's, read as they are.
  let store: Promise<Conf<StoredByConf>> | undefined;
  const open = () => {
    store ??= import('conf').then(
      ({ default: ConfStore }) =>
        new ConfStore<StoredByConf>({
          projectName: 'claude-tui',
          projectSuffix: '',
          defaults,
          configFileMode: 0o600,
          cwd: dir,
        }),
    );
    return store;
  };
  return {
    async read() {
      let stored: Partial<AppSettings> = {};
      try {
        stored = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Partial<AppSettings>;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new ConfigError(
            join(dir, 'config.json'),
            '',
            `is not valid JSON (${(error as Error).message})`,
          );
        }
      }
      return {
        projects: Array.isArray(stored.projects) ? stored.projects : [],
        caCertificates: Array.isArray(stored.caCertificates) ? stored.caCertificates : [],
        ...(typeof stored.githubMeta === 'boolean' ? { githubMeta: stored.githubMeta } : {}),
        ...(stored.selfCheck && typeof stored.selfCheck === 'object' ? { selfCheck: stored.selfCheck } : {}),
        ...(stored.keys && typeof stored.keys === 'object' && !Array.isArray(stored.keys)
          ? { keys: stored.keys }
          : {}),
        ...(typeof stored.detachKey === 'string' ? { detachKey: stored.detachKey } : {}),
        ...(Array.isArray(stored.watchPaths) ? { watchPaths: stored.watchPaths } : {}),
        ...(stored.notifications && typeof stored.notifications === 'object'
          ? { notifications: stored.notifications }
          : {}),
      };
    },
    async rememberProject(projectDir) {
      const conf = await open();
      const others = conf.get('projects').filter((p) => p.dir !== projectDir);
      conf.set('projects', [...others, { dir: projectDir, lastUsed: new Date().toISOString() }]);
    },
    async forgetProject(projectDir) {
      const conf = await open();
      conf.set(
        'projects',
        conf.get('projects').filter((p) => p.dir !== projectDir),
      );
    },
  };
}
