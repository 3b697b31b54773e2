import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostCredentialStore } from '../../src/auth/credential-store.js';
import { credentialFromEnv, credentialKind, maskCredential } from '../../src/auth/credential.js';
import { credentialLines, credentialsForSession } from '../../src/auth/session-credentials.js';
import { TokenCatcher } from '../../src/auth/token-catcher.js';
import { readSecret, secretsFilePath, writeSecret } from '../../src/config/secrets.js';
import { ConfigError, UserError } from '../../src/errors.js';
import { redactSecrets } from '../../src/log.js';

const OAUTH = `sk-ant-oat01-${'a'.repeat(80)}WXYZ`;
const API_KEY = `sk-ant-api03-${'b'.repeat(80)}9876`;
const GITHUB = `ghp_${'c'.repeat(32)}1234`;

describe('credential values', () => {
  it('tells the kinds apart and refuses what is not a token', () => {
    expect(credentialKind('claude', OAUTH)).toBe('claude-oauth');
    expect(credentialKind('claude', API_KEY)).toBe('claude-api-key');
    expect(credentialKind('github', GITHUB)).toBe('github');
    expect(() => credentialKind('claude', GITHUB)).toThrow(/does not look like a Claude credential/);
    expect(() => credentialKind('github', OAUTH)).toThrow(/GitHub token/);
    // A paste that took more than the token (a newline, a quote, a second word) must not be kept.
    expect(() => credentialKind('claude', `${OAUTH}\nexport X=1`)).toThrow(UserError);
    expect(() => credentialKind('claude', `"${OAUTH}"`)).toThrow(UserError);
    expect(() => credentialKind('claude', 'sk-ant-oat01-short')).toThrow(UserError);
  });

  it('masks to the prefix and the last four characters', () => {
    expect(maskCredential(OAUTH)).toBe('sk-ant-oat01-…WXYZ');
    expect(maskCredential(API_KEY)).toBe('sk-ant-api03-…9876');
    expect(maskCredential(GITHUB)).toBe('ghp_…1234');
  });

  it('takes a token from the environment only when asked, in a fixed order', () => {
    expect(
      credentialFromEnv('claude', { CLAUDE_CODE_OAUTH_TOKEN: OAUTH, ANTHROPIC_API_KEY: API_KEY }),
    ).toEqual({
      value: OAUTH,
      from: 'env:CLAUDE_CODE_OAUTH_TOKEN',
    });
    expect(credentialFromEnv('claude', { ANTHROPIC_API_KEY: ` ${API_KEY}\n` }).value).toBe(API_KEY);
    expect(() => credentialFromEnv('github', {})).toThrow(/GH_TOKEN/);
  });

  it('redacts every token shape from log lines', () => {
    const line = JSON.stringify({ args: ['login', OAUTH], error: `bad key ${API_KEY}`, gh: GITHUB });
    const redacted = redactSecrets(line);
    for (const secret of [OAUTH, API_KEY, GITHUB]) expect(redacted).not.toContain(secret.slice(14));
    expect(redacted).toContain('sk-ant-oat01-[redacted]');
    // At the start of a line, after a tab or an underscore, and with dots in it.
    for (const text of [`x\n${OAUTH}`, `x\t${GITHUB}`, `KEY_${API_KEY}`, `${OAUTH}.more.parts`]) {
      expect(redactSecrets(text)).not.toContain(OAUTH.slice(14, 40));
      expect(redactSecrets(text)).not.toContain(GITHUB.slice(4, 20));
      expect(redactSecrets(text)).not.toContain(API_KEY.slice(14, 40));
      expect(redactSecrets(text)).not.toContain('more.parts');
    }
  });
});

describe('the token catcher (a login printing its token)', () => {
  it('masks a token split over many reads and keeps the last one printed', () => {
    const output = `Your OAuth token:\r\n\r\n${OAUTH}\r\n\r\nStore it.\r\nagain: ${API_KEY} done`;
    for (const size of [1, 3, 7, 64, output.length]) {
      const catcher = new TokenCatcher();
      let shown = '';
      for (let at = 0; at < output.length; at += size) shown += catcher.push(output.slice(at, at + size));
      shown += catcher.end();
      expect(shown, `reads of ${size}`).toBe(
        'Your OAuth token:\r\n\r\nsk-ant-oat01-…WXYZ\r\n\r\nStore it.\r\nagain: sk-ant-api03-…9876 done',
      );
      expect(catcher.token()).toBe(API_KEY);
    }
  });

  it('passes output without a token straight on, holding back only what could start one', () => {
    const catcher = new TokenCatcher();
    expect(catcher.push('Paste code here > ')).toBe('Paste code here > ');
    expect(catcher.push('sk-a')).toBe('');
    expect(catcher.push('bc')).toBe('sk-abc');
    expect(catcher.token()).toBeUndefined();
  });
});

describe('the credential store', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-credentials-'));
    env = { CLAUDE_TUI_CONFIG_DIR: dir };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const saved = (value: string) => ({
    value,
    from: 'token-stdin' as const,
    savedAt: '2026-12-01T00:00:00.000Z',
  });

  it("keeps one shared credential and a project's own, which wins for that project only", async () => {
    const store = hostCredentialStore(env);
    await store.save('claude', undefined, saved(OAUTH));
    await store.save('claude', '/work/a', saved(API_KEY));
    expect(await store.resolve('claude', '/work/a')).toMatchObject({
      value: API_KEY,
      scope: 'project',
      kind: 'claude-api-key',
    });
    expect(await store.resolve('claude', '/work/b')).toMatchObject({ value: OAUTH, scope: 'all-projects' });
    expect(await store.resolve('github', '/work/a')).toBeUndefined();
    expect(await store.remove('claude', '/work/a')).toBe(true);
    expect(await store.remove('claude', '/work/a')).toBe(false);
    expect(await store.resolve('claude', '/work/a')).toMatchObject({ value: OAUTH });
    expect((await stat(secretsFilePath(env))).mode & 0o777).toBe(0o600);
  });

  it('lives beside the other secrets without disturbing them', async () => {
    await writeSecret('twilioAuthToken', 'tw-1', env);
    await hostCredentialStore(env).save('github', undefined, saved(GITHUB));
    expect(await readSecret('twilioAuthToken', env)).toBe('tw-1');
    await writeSecret('twilioAuthToken', 'tw-2', env);
    expect(await hostCredentialStore(env).resolve('github', undefined)).toMatchObject({ value: GITHUB });
  });

  it('names the file and the place of a mistake, without quoting the secret', async () => {
    await writeFile(
      secretsFilePath(env),
      `{\n  "credentials": {\n    "claude": { "value": "${OAUTH}", "from": "somewhere", "savedAt": "x" }\n  }\n}\n`,
      { mode: 0o600 },
    );
    const error = await hostCredentialStore(env)
      .resolve('claude', undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/secrets\.json:3:\d+.*credentials\.claude\.from/);
    expect(String((error as Error).message)).not.toContain(OAUTH);
    expect(await readFile(secretsFilePath(env), 'utf8')).toContain(OAUTH);
  });

  it('refuses every shape it does not write, however close (the quick check never vouches for one)', async () => {
    const good = `{ "value": "${OAUTH}", "from": "login", "savedAt": "x" }`;
    const bad = [
      `{ "claude": { "value": "${OAUTH}", "from": "login", "savedAt": "x", "extra": 1 } }`,
      `{ "claude": { "value": "${OAUTH}", "from": "login" } }`,
      `{ "claude": { "value": 7, "from": "login", "savedAt": "x" } }`,
      `{ "gitlab": ${good} }`,
      `{ "projects": [${good}] }`,
      `{ "projects": { "/work/a": { "claude": ${good}, "other": ${good} } } }`,
      `{ "claude": [${good}] }`,
      `[]`,
    ];
    for (const credentials of bad) {
      await writeFile(secretsFilePath(env), `{ "credentials": ${credentials} }\n`, { mode: 0o600 });
      const error = await hostCredentialStore(env)
        .resolve('claude', '/work/a')
        .catch((e: unknown) => e);
      expect(error, credentials).toBeInstanceOf(ConfigError);
      expect(String((error as Error).message)).toMatch(/secrets\.json:1:\d+.*credentials/);
    }
  });

  it('names the file and the place of a stored value that is no token', async () => {
    await writeFile(
      secretsFilePath(env),
      `{\n  "credentials": {\n    "claude": { "value": "not a token", "from": "login", "savedAt": "x" }\n  }\n}\n`,
      { mode: 0o600 },
    );
    const error = await hostCredentialStore(env)
      .resolve('claude', undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(
      /secrets\.json:3:\d+.*credentials\.claude\.value.*does not look like/,
    );
  });

  it('gives a session the stored credentials, or the one brought for this run', async () => {
    const store = hostCredentialStore(env);
    await store.save('claude', undefined, saved(OAUTH));
    await store.save('github', '/work/a', saved(GITHUB));
    const stored = await credentialsForSession({ env, credentials: store }, '/work/a');
    expect(credentialLines(stored)).toBe(`claude-oauth ${OAUTH}\ngithub ${GITHUB}\n`);
    const brought = await credentialsForSession({ env, credentials: store }, '/work/b', {
      ...saved(API_KEY),
      kind: 'claude-api-key',
      scope: 'this-run',
    });
    expect(credentialLines(brought)).toBe(`claude-api-key ${API_KEY}\n`);
  });
});
