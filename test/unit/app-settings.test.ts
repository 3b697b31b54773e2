import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppSettingsStore } from '../../src/config/app-settings.js';
import { ConfigError } from '../../src/errors.js';
import { applyOverrides } from '../../src/ui/keymap.js';

let dir: string;
let file: string;
let notices: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claude-tui-unit-settings-'));
  file = join(dir, 'config.json');
  notices = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = () =>
  createAppSettingsStore({ CLAUDE_TUI_CONFIG_DIR: dir }, { notice: (text) => notices.push(text) });

async function read(text: string) {
  await writeFile(file, text);
  return store().read();
}

async function configError(text: string): Promise<ConfigError> {
  const error: unknown = await read(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.file).toBe(file);
  expect(configError.exitCode).toBe(1);
  return configError;
}

describe('app settings: what is accepted', () => {
  it('reads every key the app uses', async () => {
    const settings = {
      projects: [{ dir: '/home/me/p', lastUsed: '2026-01-01T00:00:00.000Z' }],
      caCertificates: ['/etc/ssl/company.pem'],
      githubMeta: false,
      notifications: {
        bell: true,
        desktop: false,
        command: 'say hi',
        webhook: 'https://hooks.example/x',
        sms: { to: '+15550100', from: '+15550199', accountSid: 'AC1', apiBase: 'http://127.0.0.1:9' },
      },
      detachKey: 'ctrl+b',
      keys: { 'session.stop': 'X', 'list.down': ['down', 'ctrl+n'] },
      selfCheck: { blocked: ['192.0.2.1:80'], allowed: ['api.anthropic.com:443'] },
      watchPaths: ['src', 'docs/notes.md', '.', 'a/./b'],
    };
    await expect(read(JSON.stringify(settings, null, 2))).resolves.toEqual(settings);
  });

  it('fills in the lists claude-tui keeps when the file has none, or is empty, or is missing', async () => {
    await expect(read('{}')).resolves.toEqual({ projects: [], caCertificates: [] });
    await expect(read(' \n')).resolves.toEqual({ projects: [], caCertificates: [] });
    await rm(file);
    await expect(store().read()).resolves.toEqual({ projects: [], caCertificates: [] });
  });

  it('leaves key bindings to the keymap: a bad binding is its problem, not a config error', async () => {
    const settings = await read('{"keys": {"session.stop": 5, "no.such": "x"}}');
    const { problems, bindings } = applyOverrides(settings.keys);
    expect(problems).toHaveLength(2);
    expect(bindings['session.stop']).toEqual(['x']);
  });
});

describe('app settings: mistakes name the file, line:col, key path and what was expected', () => {
  it('a typo at the top level', async () => {
    const error = await configError('{\n  "githubMeta": false,\n  "projcts": []\n}');
    expect(error.location).toBe('3:3');
    expect(error.message).toContain(
      `${file}:3:3: projcts: unknown key (expected one of: projects, caCertificates,`,
    );
    expect(error.message).toContain('watchPaths');
  });

  it('a typo two and three levels down', async () => {
    const second = await configError('{"notifications": {"desktop": false, "webook": "https://x.example"}}');
    expect(second.message).toContain(
      ':1:38: notifications.webook: unknown key (expected one of: bell, desktop, command, webhook, sms)',
    );
    const third = await configError(
      '{\n  "notifications": {\n    "sms": {\n      "tto": "+1"\n    }\n  }\n}',
    );
    expect(third.location).toBe('4:7');
    expect(third.message).toContain(
      'notifications.sms.tto: unknown key (expected one of: to, from, accountSid, apiBase)',
    );
    // authToken is known only to say it is not kept here; it is not offered as a key to use.
    expect(third.message).not.toContain('authToken');
  });

  it('a typo inside a list item', async () => {
    const error = await configError('{"projects": [{"dir": "/p", "lastUsed": "x", "last": 1}]}');
    expect(error.message).toContain('projects.0.last: unknown key (expected one of: dir, lastUsed, engine)');
  });

  it('wrong types, in plain words, at the value', async () => {
    const boolean = await configError('{\n  "githubMeta": "no"\n}');
    expect(boolean.location).toBe('2:17');
    expect(boolean.message).toContain('githubMeta: expected true or false, not a string');
    expect((await configError('{"keys": ["x"]}')).message).toContain(
      'keys: expected an object {...}, not a list',
    );
    expect((await configError('{"notifications": null}')).message).toContain(
      'notifications: expected an object {...}, not null',
    );
    expect((await configError('{"caCertificates": "a.pem"}')).message).toContain(
      'caCertificates: expected a list [...], not a string',
    );
    expect((await configError('{"selfCheck": {"blocked": [80]}}')).message).toContain(
      'selfCheck.blocked.0: expected a string in double quotes, not a number',
    );
    expect((await configError('[]')).message).toContain(
      `${file}:1:1: (top level): expected an object {...}, not a list`,
    );
  });

  it('a missing required key, at the object that lacks it', async () => {
    const error = await configError('{"projects": [{"dir": "/p"}]}');
    expect(error.location).toBe('1:15');
    expect(error.message).toContain('projects.0.lastUsed: expected a string in double quotes (missing)');
  });

  it('values of the right type but the wrong form', async () => {
    expect((await configError('{"detachKey": "alt+q"}')).message).toContain(
      'detachKey: ctrl+ and a letter, such as ctrl+q',
    );
    expect((await configError('{"notifications": {"webhook": "ftp://x"}}')).message).toContain(
      'notifications.webhook: an http(s) URL',
    );
    expect((await configError('{"selfCheck": {"allowed": ["example.com"]}}')).message).toContain(
      'selfCheck.allowed.0: host:port',
    );
  });

  it('refuses watchPaths that are absolute or climb out of the project', async () => {
    for (const path of ['../x', 'src/../../x', 'a\\\\..\\\\b', '..']) {
      const error = await configError(`{"watchPaths": ["ok", "${path}"]}`);
      expect(error.message).toContain('watchPaths.1: a path inside the project, without .. in it');
      expect(error.location).toBe('1:23');
    }
    for (const path of ['/etc', '~/notes', 'C:\\\\work', '\\\\\\\\server\\\\share']) {
      const error = await configError(`{"watchPaths": ["${path}"]}`);
      expect(error.message).toContain('watchPaths.0: a path relative to the project, not an absolute one');
    }
    expect((await configError('{"watchPaths": [""]}')).message).toContain(
      'watchPaths.0: a path inside the project',
    );
    expect((await configError('{"watchPaths": "src"}')).message).toContain('watchPaths: expected a list');
    await expect(read('{"watchPaths": ["..foo", "a..b/c"]}')).resolves.toMatchObject({
      watchPaths: ['..foo', 'a..b/c'],
    });
  });

  it('invalid JSON, with its line:col', async () => {
    const error = await configError('{\n  "githubMeta": false,\n}\n');
    expect(error.location).toBe('3:1');
    expect(error.message).toBe(`${file}:3:1: is not valid JSON: a trailing comma is not allowed in JSON`);
  });

  it('never quotes a value: it may be a secret', async () => {
    const syntax = await configError(
      '{"notifications": {"sms": {"authToken": "hunter2-secret" "to": "+1"}}}',
    );
    expect(syntax.message).not.toContain('hunter2');
    const type = await configError('{"githubMeta": "hunter2-secret"}');
    expect(type.message).not.toContain('hunter2');
  });

  it('an auth token that is not a string is named, not moved', async () => {
    const error = await configError('{"notifications": {"sms": {"authToken": 12345}}}');
    expect(error.message).toContain('notifications.sms.authToken: secrets are not kept here');
    expect(error.message).not.toContain('12345');
  });

  it('a malformed file stops conf from writing over it: the read names the mistake', async () => {
    await writeFile(file, '{"projects": [}');
    const error: unknown = await store()
      .rememberProject('/p')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(await readFile(file, 'utf8')).toBe('{"projects": [}');
  });
});
