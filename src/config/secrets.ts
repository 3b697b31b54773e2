import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, UserError } from '../errors.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import { settingsDir } from './settings-dir.js';
import { parseSettingsJson, settingsErrorAt } from './settings-json.js';

/**
 * Secrets live apart from the settings, in `secrets.json` beside config.json: one JSON object of
 * named secrets, mode 0600, read only by the code that needs one. A file other users can read or
 * change is refused, as ssh refuses such a key: its secrets may no longer be secret.
 *
 * Plain secrets are strings at the top level; `credentials` (the agent's and GitHub's tokens, see
 * src/auth) is an object of its own, checked by the code that owns it.
 */
export type SecretName = 'twilioAuthToken';

/** Top-level keys whose values are objects owned by other modules, not plain strings. */
const STRUCTURED_KEYS = new Set(['credentials']);

/** The whole file as read, with its text for errors that point into it. */
export interface SecretsDocument {
  file: string;
  text: string;
  data: Record<string, unknown>;
}

const SECRETS_FILE_MODE = 0o600;

export function secretsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(settingsDir(env), 'secrets.json');
}

export async function readSecret(
  name: SecretName,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const value = (await readSecretsDocument(env)).data[name];
  return typeof value === 'string' ? value : undefined;
}

/** Stores a secret, keeping the others; the file is replaced in one step and stays 0600. */
export async function writeSecret(
  name: SecretName,
  value: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await updateSecrets(env, (data) => {
    if (data[name] === value) return false;
    data[name] = value;
    return true;
  });
}

export function readSecretsDocument(env: NodeJS.ProcessEnv = process.env): Promise<SecretsDocument> {
  return readSecretsFile(secretsFilePath(env));
}

/**
 * Changes the file in one step, keeping every other secret; `change` returns false when it
 * changed nothing, and nothing is written. The file stays 0600 (its folder 0700).
 */
export async function updateSecrets(
  env: NodeJS.ProcessEnv,
  change: (data: Record<string, unknown>, document: SecretsDocument) => boolean,
): Promise<void> {
  const file = secretsFilePath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const document = await readSecretsFile(file);
  if (!change(document.data, document)) return;
  await writeFileAtomically(file, `${JSON.stringify(document.data, null, 2)}\n`, SECRETS_FILE_MODE);
}

async function readSecretsFile(file: string): Promise<SecretsDocument> {
  let text: string;
  try {
    const handle = await open(file, 'r');
    try {
      // Checked on the open file, so the file read is the file checked.
      const stat = await handle.stat();
      if (!stat.isFile()) throw new ConfigError(file, '', 'is not a file');
      refuseIfShared(file, stat.mode);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, text: '', data: {} };
    if (error instanceof UserError) throw error;
    throw new ConfigError(file, '', `cannot be read (${(error as Error).message})`);
  }
  return { file, text, data: checkedSecrets(file, text, parseSettingsJson(file, text)) };
}

function refuseIfShared(file: string, mode: number): void {
  // Windows has no such bits to read; its ACLs keep a profile's files to their owner.
  if (process.platform === 'win32' || (mode & 0o077) === 0) return;
  const others = mode & 0o044 ? 'read' : 'changed';
  throw new UserError(
    `${file} can be ${others} by other users (mode ${(mode & 0o777).toString(8)}), so claude-tui will not use the secrets in it.`,
    `Run \`chmod 600 ${file}\`, and replace the secrets in it if others may have read them.`,
  );
}

function checkedSecrets(file: string, text: string, parsed: unknown): Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw settingsErrorAt(
      file,
      text,
      [],
      'expected an object of named secrets, such as {"twilioAuthToken": "..."}',
    );
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (STRUCTURED_KEYS.has(name)) continue;
    if (typeof value !== 'string') throw settingsErrorAt(file, text, [name], 'expected a string');
  }
  return parsed as Record<string, unknown>;
}
