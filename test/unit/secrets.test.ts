import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppSettingsStore } from '../../src/config/app-settings.js';
import { fileMoveSteps, moveSecretsOut } from '../../src/config/move-secrets-out.js';
import { readSecret, secretsFilePath, writeSecret } from '../../src/config/secrets.js';
import { ConfigError, UserError } from '../../src/errors.js';
import { logFilePath } from '../../src/log.js';
import { twilioAuthToken } from '../../src/session/notify.js';

const TOKEN = 'tw-token-4f1d9c';
let dir: string;
let env: NodeJS.ProcessEnv;
let configFile: string;
let secretsFile: string;
let stateHome: string;
let previousStateHome: string | undefined;

beforeAll(async () => {
  // The log goes to a folder of this test's own, where it can be searched for the token.
  stateHome = await mkdtemp(join(tmpdir(), 'claude-tui-unit-secrets-state-'));
  previousStateHome = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = stateHome;
});

afterAll(async () => {
  if (previousStateHome === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = previousStateHome;
  await rm(stateHome, { recursive: true, force: true });
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-secrets-'));
  env = { CLAUDE_TUI_CONFIG_DIR: dir };
  configFile = join(dir, 'config.json');
  secretsFile = secretsFilePath(env);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('the secrets file', () => {
  it('lives beside config.json', () => {
    expect(secretsFile).toBe(join(dir, 'secrets.json'));
  });

  it('is written 0600, whatever the umask, and keeps the other secrets', async () => {
    const umask = process.umask(0);
    try {
      await writeFile(secretsFile, JSON.stringify({ agentLoginToken: 'other' }), { mode: 0o600 });
      await writeSecret('twilioAuthToken', TOKEN, env);
    } finally {
      process.umask(umask);
    }
    expect(await modeOf(secretsFile)).toBe(0o600);
    expect(JSON.parse(await readFile(secretsFile, 'utf8'))).toEqual({
      agentLoginToken: 'other',
      twilioAuthToken: TOKEN,
    });
    await expect(readSecret('twilioAuthToken', env)).resolves.toBe(TOKEN);
    // Nothing half-written is left beside it.
    expect(await readdir(dir)).toEqual(['secrets.json']);
  });

  it('creates the settings folder when there is none', async () => {
    const nested = { CLAUDE_TUI_CONFIG_DIR: join(dir, 'new', 'folder') };
    await writeSecret('twilioAuthToken', TOKEN, nested);
    await expect(readSecret('twilioAuthToken', nested)).resolves.toBe(TOKEN);
    expect((await stat(join(dir, 'new', 'folder'))).mode & 0o777).toBe(0o700);
  });

  it('has no secret when it does not exist', async () => {
    await expect(readSecret('twilioAuthToken', env)).resolves.toBeUndefined();
  });

  it('is refused when others can read it, with the chmod that fixes it', async () => {
    await writeFile(secretsFile, JSON.stringify({ twilioAuthToken: TOKEN }));
    await chmod(secretsFile, 0o644);
    const error = await failure(readSecret('twilioAuthToken', env));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `${secretsFile} can be read by other users (mode 644), so claude-tui will not use the secrets in it.`,
    );
    expect((error as UserError).hint).toContain(`chmod 600 ${secretsFile}`);
    // Nor written to: its secrets may be known already, and adding one would not change that.
    expect(await failure(writeSecret('twilioAuthToken', 'new', env))).toBeInstanceOf(UserError);
    expect(JSON.parse(await readFile(secretsFile, 'utf8'))).toEqual({ twilioAuthToken: TOKEN });
  });

  it('is refused when others can change it', async () => {
    await writeFile(secretsFile, '{}');
    await chmod(secretsFile, 0o620);
    const error = await failure(readSecret('twilioAuthToken', env));
    expect((error as UserError).message).toContain('can be changed by other users (mode 620)');
  });

  it('names a malformed file with its line:col, without quoting it', async () => {
    await writeFile(secretsFile, `{\n  "twilioAuthToken": "${TOKEN}",\n}`, { mode: 0o600 });
    const syntax = await failure(readSecret('twilioAuthToken', env));
    expect(syntax).toBeInstanceOf(ConfigError);
    expect((syntax as ConfigError).message).toBe(
      `${secretsFile}:3:1: is not valid JSON: a trailing comma is not allowed in JSON`,
    );
    await writeFile(secretsFile, '{"twilioAuthToken": 5}');
    expect(((await failure(readSecret('twilioAuthToken', env))) as ConfigError).message).toBe(
      `${secretsFile}:1:21: twilioAuthToken: expected a string`,
    );
    await writeFile(secretsFile, '["x"]');
    expect(((await failure(readSecret('twilioAuthToken', env))) as ConfigError).message).toContain(
      '(top level): expected an object of named secrets',
    );
  });
});

describe('the Twilio auth token', () => {
  const sms = { to: '+15550100', from: '+15550199', accountSid: 'AC1' };

  it('comes from TWILIO_AUTH_TOKEN first, then from the secrets file', async () => {
    await writeSecret('twilioAuthToken', TOKEN, env);
    await expect(twilioAuthToken(sms, env)).resolves.toBe(TOKEN);
    await expect(twilioAuthToken(sms, { ...env, TWILIO_AUTH_TOKEN: 'from-env' })).resolves.toBe('from-env');
  });

  it('is not looked for when SMS is not configured, so a bad secrets file does not matter then', async () => {
    await writeFile(secretsFile, '{}');
    await chmod(secretsFile, 0o644);
    await expect(twilioAuthToken(undefined, env)).resolves.toBeUndefined();
    await expect(twilioAuthToken(sms, env)).rejects.toBeInstanceOf(UserError);
  });
});

describe('moving the token out of an older config.json', () => {
  const oldConfig = {
    githubMeta: false,
    notifications: { sms: { to: '+15550100', authToken: TOKEN }, desktop: false },
  };
  const writeOldConfig = () => writeFile(configFile, JSON.stringify(oldConfig, null, 2), { mode: 0o600 });
  const configOnDisk = async () => JSON.parse(await readFile(configFile, 'utf8')) as typeof oldConfig;

  it('moves it on the first read, once, says where it went, and never logs it', async () => {
    await writeOldConfig();
    const notices: string[] = [];
    const store = createAppSettingsStore(env, { notice: (text) => notices.push(text) });
    // Two reads at once (the dashboard's first look) move it once.
    const [first, second] = await Promise.all([store.read(), store.read()]);
    expect(first).toEqual(second);
    expect(first.notifications).toEqual({ sms: { to: '+15550100' }, desktop: false });
    expect(await configOnDisk()).toEqual({
      githubMeta: false,
      notifications: { sms: { to: '+15550100' }, desktop: false },
    });
    expect(await readSecret('twilioAuthToken', env)).toBe(TOKEN);
    expect(await modeOf(secretsFile)).toBe(0o600);
    expect(await modeOf(configFile)).toBe(0o600);
    expect(notices).toEqual([
      `Moved notifications.sms.authToken out of ${configFile} into ${secretsFile} (readable only by you).`,
    ]);
    await store.read();
    expect(notices).toHaveLength(1);
    expect(await readFile(logFilePath(), 'utf8')).toContain('moved secrets out of the app settings');
    expect(await readFile(logFilePath(), 'utf8')).not.toContain(TOKEN);
  });

  it('keeps it in config.json when the secrets file cannot be written', async () => {
    await writeOldConfig();
    // A folder where the secrets file should be: the first step fails for real.
    await mkdir(secretsFile);
    const error = await failure(createAppSettingsStore(env).read());
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(
      `Could not move notifications.sms.authToken out of ${configFile}`,
    );
    expect((error as UserError).message).toContain(`It is still in ${configFile}.`);
    expect((error as UserError).message).not.toContain(TOKEN);
    expect(await configOnDisk()).toEqual(oldConfig);
  });

  it('keeps it in config.json when the secrets file may not be used', async () => {
    await writeOldConfig();
    await writeFile(secretsFile, '{}');
    await chmod(secretsFile, 0o644);
    const error = await failure(createAppSettingsStore(env).read());
    expect((error as UserError).hint).toContain(`chmod 600 ${secretsFile}`);
    expect(await configOnDisk()).toEqual(oldConfig);
  });

  it('has it in the secrets file when config.json cannot be rewritten, and finishes on the next read', async () => {
    await writeOldConfig();
    const steps = fileMoveSteps(configFile, env);
    const error = await failure(
      moveSecretsOut(configFile, oldConfig, env, {
        ...steps,
        replaceSettings: () => Promise.reject(new Error('disk full')),
      }),
    );
    expect((error as UserError).message).toBe(
      `Could not take notifications.sms.authToken out of ${configFile}: disk full. It is saved in ${secretsFile} as well.`,
    );
    expect(await readSecret('twilioAuthToken', env)).toBe(TOKEN);
    expect(await configOnDisk()).toEqual(oldConfig);

    const notices: string[] = [];
    await createAppSettingsStore(env, { notice: (text) => notices.push(text) }).read();
    expect(notices).toHaveLength(1);
    expect(await configOnDisk()).not.toHaveProperty('notifications.sms.authToken');
    expect(await readSecret('twilioAuthToken', env)).toBe(TOKEN);
  });

  it('will not choose between two different tokens', async () => {
    await writeOldConfig();
    await writeSecret('twilioAuthToken', 'a-different-one', env);
    const error = await failure(createAppSettingsStore(env).read());
    expect((error as UserError).message).toContain('holds a different twilioAuthToken');
    expect((error as UserError).message).not.toContain(TOKEN);
    expect(await configOnDisk()).toEqual(oldConfig);
    expect(await readSecret('twilioAuthToken', env)).toBe('a-different-one');
  });
});
