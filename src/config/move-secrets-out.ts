import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { log } from '../log.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import { readSecret, secretsFilePath, writeSecret, type SecretName } from './secrets.js';

/**
 * Older versions kept the Twilio auth token in config.json. When one is found there it is moved to
 * the secrets file: written there first, and only then taken out of config.json, so that a step
 * failing half-way leaves it in one of the two files, never in neither.
 */
const SECRETS_ONCE_IN_SETTINGS: { path: readonly string[]; secret: SecretName }[] = [
  { path: ['notifications', 'sms', 'authToken'], secret: 'twilioAuthToken' },
];

/** The steps of a move, passed in so that a test can make one of them fail. */
export interface MoveSteps {
  readSecret(name: SecretName): Promise<string | undefined>;
  writeSecret(name: SecretName, value: string): Promise<void>;
  replaceSettings(text: string): Promise<void>;
}

export interface MovedSecret {
  /** Where it was in config.json, e.g. notifications.sms.authToken. */
  from: string;
  /** The secrets file it is in now. */
  to: string;
}

/** Whether the parsed config.json holds a secret to move; cheap, for every read. */
export function holdsSecrets(settings: unknown): boolean {
  return SECRETS_ONCE_IN_SETTINGS.some(({ path }) => typeof valueAt(settings, path) === 'string');
}

export function fileMoveSteps(settingsFile: string, env: NodeJS.ProcessEnv): MoveSteps {
  return {
    readSecret: (name) => readSecret(name, env),
    writeSecret: (name, value) => writeSecret(name, value, env),
    async replaceSettings(text) {
      // config.json keeps the mode it has (conf makes it 0600).
      const mode = (await stat(settingsFile)).mode & 0o777;
      await writeFileAtomically(settingsFile, text, mode);
    },
  };
}

/** Moves the secrets in `settings` (the parsed config.json) and returns config.json's new text. */
export async function moveSecretsOut(
  settingsFile: string,
  settings: unknown,
  env: NodeJS.ProcessEnv,
  steps: MoveSteps = fileMoveSteps(settingsFile, env),
): Promise<{ text: string; moved: MovedSecret[] }> {
  const secretsFile = secretsFilePath(env);
  const kept = structuredClone(settings) as Record<string, unknown>;
  const moved: MovedSecret[] = [];
  for (const { path, secret } of SECRETS_ONCE_IN_SETTINGS) {
    const value = valueAt(kept, path);
    if (typeof value !== 'string') continue;
    const from = path.join('.');
    const notMoved = (error: unknown) =>
      new UserError(
        `Could not move ${from} out of ${settingsFile} into ${secretsFile}: ${messageOf(error)} It is still in ${settingsFile}.`,
        (error instanceof UserError && error.hint) ||
          `Fix that and run the command again, or move it by hand (as ${secret} in ${secretsFile}).`,
      );
    const stored = await steps.readSecret(secret).catch((error: unknown) => {
      throw notMoved(error);
    });
    if (stored !== undefined && stored !== value) {
      throw new UserError(
        `${settingsFile} holds ${from}, and ${secretsFile} holds a different ${secret}; claude-tui will not choose between them.`,
        `Keep the right one as ${secret} in ${secretsFile}, and delete ${from} from ${settingsFile}.`,
      );
    }
    if (stored === undefined) {
      await steps.writeSecret(secret, value).catch((error: unknown) => {
        throw notMoved(error);
      });
    }
    delete (valueAt(kept, path.slice(0, -1)) as Record<string, unknown>)[path.at(-1)!];
    moved.push({ from, to: secretsFile });
  }
  // conf's own layout, so the file looks the same whichever of the two wrote it last.
  const text = JSON.stringify(kept, undefined, '\t');
  await steps.replaceSettings(text).catch((error: unknown) => {
    throw new UserError(
      `Could not take ${moved.map((m) => m.from).join(', ')} out of ${settingsFile}: ${messageOf(error)} It is saved in ${secretsFile} as well.`,
      `Delete it from ${settingsFile} by hand, or fix that and run the command again.`,
    );
  });
  log.info('moved secrets out of the app settings', { moved });
  return { text, moved };
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key))
      return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** An error's message as a sentence of its own. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
