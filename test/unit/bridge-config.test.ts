import { describe, expect, it } from 'vitest';
import { composeProjectName, parseBridgeConfig } from '../../src/config/load-bridge-config.js';
import { ConfigError } from '../../src/errors.js';

const FILE = '/home/me/My Shop/.claude/bridge.yaml';
const PROJECT = '/home/me/My Shop';

const parse = (text: string, projectDir = PROJECT) => parseBridgeConfig(FILE, text, projectDir);

/** The message of the ConfigError a text gives; it always starts with the file and a line. */
async function problem(text: string, projectDir = PROJECT): Promise<string> {
  const error: unknown = await parse(text, projectDir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  expect(message).toMatch(new RegExp(`^${FILE.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));
  return message.slice(FILE.length + 1);
}

/** A valid file with one command, the lines of that command replaced. */
const withCommand = (...lines: string[]) =>
  [
    'version: "1"',
    'containers:',
    '  php: php',
    'commands:',
    '  php:',
    ...lines.map((l) => `    ${l}`),
    '',
  ].join('\n');

describe('bridge.yaml (parseBridgeConfig)', () => {
  it("reads the origins' example, with user and env, into the bridge policy", async () => {
    const text = [
      'version: "1"',
      'default_container: app',
      '',
      'containers:',
      '  app: myproject-app-1',
      '  php: {service: php}',
      '  node: {container: myproject-node-1}',
      '',
      'commands:',
      '  php:',
      '    container: php',
      '    exec: php',
      '    workdir: /var/www/html',
      '    user: www-data',
      '    env: [APP_ENV, XDEBUG_MODE]',
      '  composer:',
      '    container: php',
      '    exec: /usr/local/bin/composer',
      '    workdir: /var/www/html/',
      '    user: 1000:1000',
      '  npm:',
      '    container: node',
      '    exec: npm',
      '    user: 1000',
      '  make:',
      '    exec: make',
      '',
    ].join('\n');
    await expect(parse(text)).resolves.toEqual({
      composeProject: 'myshop',
      defaultContainer: 'app',
      containers: {
        app: { serviceOrContainer: 'myproject-app-1' },
        php: { service: 'php' },
        node: { containerName: 'myproject-node-1' },
      },
      commands: {
        php: {
          container: 'php',
          exec: 'php',
          workdir: '/var/www/html',
          user: 'www-data',
          env: ['APP_ENV', 'XDEBUG_MODE'],
        },
        composer: {
          container: 'php',
          exec: '/usr/local/bin/composer',
          workdir: '/var/www/html',
          user: '1000:1000',
          env: [],
        },
        npm: { container: 'node', exec: 'npm', workdir: undefined, user: '1000', env: [] },
        make: { container: 'app', exec: 'make', workdir: undefined, user: undefined, env: [] },
      },
    });
  });

  it('takes the compose project from the file, or from the folder name the way compose does', async () => {
    await expect(parse('version: "1"\ncompose_project: shop_2\n')).resolves.toMatchObject({
      composeProject: 'shop_2',
    });
    await expect(parse('version: 1\n', '/srv/-My.Shop_Front-2')).resolves.toMatchObject({
      composeProject: 'myshop_front-2',
      containers: {},
      commands: {},
    });
    expect(composeProjectName('/x/ÄPP Ünit')).toBe('ppnit');
    expect(composeProjectName('/x/__A')).toBe('a');
    expect(await problem('version: "1"\n', '/x/__')).toBe(
      '1:1: compose_project: the folder name "__" gives no compose project name; set compose_project to the one your compose file runs under',
    );
    expect(await problem('version: "1"\ncompose_project: My_Shop\n')).toBe(
      '2:18: compose_project: a compose project name: lowercase letters, digits, _ and -, starting with a letter or digit',
    );
  });

  it('names the line and key of a wrong version, an unknown key or bad YAML', async () => {
    expect(await problem('version: "2"\n')).toBe('1:10: version: "1", the one version of this file so far');
    expect(await problem('containers: {}\n')).toBe('1:1: version: "1", the one version of this file so far');
    expect(await problem('version: 1\nbridge: true\n')).toBe('1:1: (top level): unknown key bridge');
    expect(await problem(withCommand('exec: php', 'shell: true'))).toBe(
      '6:5: commands.php: unknown key shell',
    );
    expect(await problem('version: 1\ncommands: [php]\n')).toBe(
      '2:11: commands: commands by name, each with exec (php: {exec: php})',
    );
    expect(await problem('version: 1\ncommands:\n  php: php\n')).toBe(
      '3:8: commands.php: a command: exec, and container, workdir, user or env as needed',
    );
    expect(await problem('version: [1\n')).toMatch(/^2:\d+: is not valid YAML: /);
    expect(await problem('version: 1\nversion: 1\n')).toMatch(
      /^2:1: is not valid YAML: Map keys must be unique/,
    );
  });

  it('refuses a container that is neither a name nor {service} / {container}', async () => {
    expect(await problem('version: 1\ncontainers:\n  php: {servce: php}\n')).toBe(
      '3:8: containers.php: a compose service or container name (php), or {service: NAME}, or {container: NAME}',
    );
    expect(await problem('version: 1\ncontainers:\n  php: ../php\n')).toBe(
      '3:8: containers.php: a compose service or container name',
    );
    expect(await problem('version: 1\ncontainers:\n  "__proto__": php\n')).toBe(
      '3:16: containers.__proto__: a name used in commands: letters, digits, _ . and -, such as php or app',
    );
    expect(await problem('version: 1\ncontainers:\n  p/hp: php\n')).toBe(
      '3:9: containers.p/hp: a name used in commands: letters, digits, _ . and -, such as php or app',
    );
  });

  it('refuses a command name that is not a plain file name', async () => {
    for (const name of ['../php', 'bin/php', '-php', '.php', '..', 'php x', '__proto__', '_x']) {
      // __proto__ is a key zod would leave out without a word: here it is refused like the rest.
      expect(
        await problem(`version: 1\ncontainers: {php: php}\ncommands:\n  "${name}": {exec: php}\n`),
      ).toMatch(
        new RegExp(
          `^4:\\d+: commands\\.${name.replace(/[.]/g, '\\.')}: a command name usable as a file name`,
        ),
      );
    }
  });

  it('keeps a command named like a property of every object as a command of its own', async () => {
    const policy = await parse(
      'version: 1\ncontainers: {php: php}\ncommands:\n  constructor: {exec: sh, container: php}\n',
    );
    expect(Object.keys(policy.commands)).toEqual(['constructor']);
    const [constructor, toString]: string[] = ['constructor', 'toString'];
    expect(policy.commands[constructor!]?.exec).toBe('sh');
    expect(policy.commands[toString!]).toBeUndefined();
  });

  it('refuses an exec that is neither a name nor a clean absolute path', async () => {
    for (const exec of [
      '../bin/php',
      'bin/php',
      '/usr/../bin/php',
      '/usr/./php',
      '/usr//php',
      '-e',
      '/usr/bin/',
      '"php -r x"',
    ]) {
      expect(await problem(withCommand('container: php', `exec: ${exec}`))).toMatch(
        /^7:11: commands\.php\.exec: the program to run in the container: a name found on its PATH/,
      );
    }
    expect(await problem(withCommand('container: php'))).toMatch(
      /^6:5: commands\.php\.exec: the program to run/,
    );
  });

  it('refuses a workdir that is relative or climbs', async () => {
    for (const workdir of ['var/www', '/var/www/../../etc', '/var/./www', '.', '/var//www']) {
      expect(await problem(withCommand('container: php', 'exec: php', `workdir: ${workdir}`))).toBe(
        '8:14: commands.php.workdir: an absolute folder in the container, such as /var/www/html (no . or .. parts)',
      );
    }
  });

  it('refuses root as the user, by name, by id, or as the group', async () => {
    for (const user of ['root', '0', '"0:33"', '0:www-data', '000', 'www-data:root', '1000:0']) {
      expect(await problem(withCommand('container: php', 'exec: php', `user: ${user}`))).toBe(
        '8:11: commands.php.user: a user other than root (not root, 0 or group 0): the bridge runs commands without root rights; name one such as www-data or 1000:1000',
      );
    }
    for (const user of ['"www data"', 'a:b:c', '"$(id)"', '-1']) {
      expect(await problem(withCommand('container: php', 'exec: php', `user: ${user}`))).toMatch(
        /^8:11: commands\.php\.user: a user name or uid, optionally :group or :gid/,
      );
    }
  });

  it('refuses env entries that are not variable names, and keeps each name once', async () => {
    expect(await problem(withCommand('container: php', 'exec: php', 'env: [APP_ENV, "A=B"]'))).toBe(
      '8:20: commands.php.env.1: an environment variable name, such as APP_ENV',
    );
    expect(await problem(withCommand('container: php', 'exec: php', 'env: APP_ENV'))).toBe(
      '8:10: commands.php.env: a list of environment variable names, such as [APP_ENV, COMPOSER_HOME]',
    );
    const policy = await parse(withCommand('container: php', 'exec: php', 'env: [B, A, B]'));
    expect(policy.commands.php?.env).toEqual(['B', 'A']);
  });

  it('refuses env names that would steer which program runs, the loader or the shell', async () => {
    expect(await problem(withCommand('container: php', 'exec: php', 'env: [APP_ENV, PATH]'))).toBe(
      '8:20: commands.php.env.1: a name other than PATH: it would choose which program the approved exec names',
    );
    for (const name of ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'BASH_ENV', 'ENV', 'IFS', 'SHELLOPTS', 'UID']) {
      expect(await problem(withCommand('container: php', 'exec: php', `env: [${name}]`))).toMatch(
        new RegExp(`^8:11: commands\\.php\\.env\\.0: a name other than ${name}: `),
      );
    }
  });

  it('refuses a command whose container is not under containers, or that has none', async () => {
    expect(await problem(withCommand('container: node', 'exec: npm'))).toBe(
      '6:16: commands.php.container: one of the names under containers (php)',
    );
    expect(await problem(withCommand('exec: php'))).toBe(
      '6:5: commands.php: a container for php: give it container: NAME, or set default_container',
    );
    expect(await problem('version: 1\ndefault_container: app\ncommands:\n  php: {exec: php}\n')).toBe(
      '2:20: default_container: a name under containers, and there are none: add the container there',
    );
  });
});

describe('bridge.yaml problems on a terminal', () => {
  it('shows a control character in a made-up key as a mark, not as itself', async () => {
    const message = await problem('version: 1\ncommands:\n  "php\\e[2K\\rok": {exec: php}\n');
    expect(message).toMatch(/^3:\d+: commands\.php\^\[\[2K\^Mok: a command name usable as a file name/);
  });
});
