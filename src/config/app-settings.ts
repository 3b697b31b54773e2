import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Conf from 'conf';
import { ConfigError } from '../errors.js';
import type { EngineRef } from '../docker/engine-ref.js';
import type { AppSettings } from './app-settings-schema.js';
import { holdsSecrets, moveSecretsOut } from './move-secrets-out.js';
import { settingsDir } from './settings-dir.js';
import { parseSettingsJson } from './settings-json.js';

export type { AppSettings, NotificationSettings } from './app-settings-schema.js';

/**
 * App-wide settings in config.json: projects the person has used (kept by `conf`), and the
 * person's own settings (app-settings-schema.ts). Writes go through conf; reads on the hot path
 * (`up` with nothing to do) parse the same file directly, because loading conf costs more than
 * the whole rest of such an `up`. Both use settingsDir(), so they cannot disagree on where the
 * file is. Every read is checked against the schema, and a secret an older version kept in the
 * file is moved to the secrets file first (`notice` tells the person).
 */
export interface AppSettingsStore {
  read(): Promise<AppSettings>;
  /** Records the project as used now, on `engine` (absent: the Engine it was remembered on, if any). */
  rememberProject(dir: string, engine?: EngineRef): Promise<void>;
  forgetProject(dir: string): Promise<void>;
}

export interface AppSettingsOptions {
  /** A line for the person (on stderr), such as where a moved secret went. */
  notice?: (text: string) => void;
}

type StoredByConf = Pick<AppSettings, 'projects' | 'caCertificates'>;
const defaults: StoredByConf = { projects: [], caCertificates: [] };

export function createAppSettingsStore(
  env: NodeJS.ProcessEnv = process.env,
  options: AppSettingsOptions = {},
): AppSettingsStore {
  const dir = settingsDir(env);
  const file = join(dir, 'config.json');
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

  const load = async (): Promise<AppSettings> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { projects: [], caCertificates: [] };
      throw new ConfigError(file, '', `cannot be read (${(error as Error).message})`);
    }
    let parsed = parseSettingsJson(file, text);
    if (holdsSecrets(parsed)) {
      const result = await moveSecretsOut(file, parsed, env);
      for (const { from, to } of result.moved) {
        options.notice?.(`Moved ${from} out of ${file} into ${to} (readable only by you).`);
      }
      text = result.text;
      parsed = parseSettingsJson(file, text);
    }
    // zod is loaded here, on the first read, not when claude-tui starts.
    const { validateAppSettings } = await import('./validate-app-settings.js');
    return validateAppSettings(file, text, parsed);
  };

  // Reads at the same moment (the dashboard's first look) share one, and move a secret once.
  let reading: Promise<AppSettings> | undefined;
  const read = () => {
    reading ??= load().finally(() => (reading = undefined));
    return reading;
  };

  return {
    read,
    async rememberProject(projectDir, engine) {
      // conf would take a malformed file for a bug of ours; the read names the mistake instead.
      await read();
      const conf = await open();
      const known = conf.get('projects');
      const kept = engine ?? known.find((p) => p.dir === projectDir)?.engine;
      const others = known.filter((p) => p.dir !== projectDir);
      const entry = {
        dir: projectDir,
        lastUsed: new Date().toISOString(),
        ...(kept ? { engine: kept } : {}),
      };
      conf.set('projects', [...others, entry]);
    },
    async forgetProject(projectDir) {
      await read();
      const conf = await open();
      conf.set(
        'projects',
        conf.get('projects').filter((p) => p.dir !== projectDir),
      );
    },
  };
}
