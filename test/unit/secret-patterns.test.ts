import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pathRegex, secretRules } from '../../src/project/secret-patterns.js';

const defaults = secretRules();

describe('the default secret patterns', () => {
  it.each([
    '.env',
    'app/.env',
    '.env.local',
    'deep/er/.env.production',
    'server.pem',
    'certs/server.key',
    'id_rsa',
    'home/.ssh/id_rsa.pub',
    'id_ed25519',
    'keys/id_ed25519_work',
    '.credentials.json',
    'a/.credentials.json',
    '.npmrc',
    '.pypirc',
    '.netrc',
  ])('shadow %s', (path) => {
    expect(defaults.shadowed(path)).toBe(true);
  });

  it.each([
    'env',
    '.envrc',
    'my.env',
    'server.pem.txt',
    'keychain',
    'monkey',
    'credentials.json',
    '.npmrc.bak',
    'README.md',
    'src/index.ts',
    'id_rs',
  ])('leave %s', (path) => {
    expect(defaults.shadowed(path)).toBe(false);
  });

  it('leaves version control data and dependencies unsearched, at any depth', () => {
    for (const path of [
      '.git',
      'node_modules',
      'web/node_modules',
      'venv/lib/python3.11/site-packages',
      '.hg',
    ])
      expect(defaults.skipped(path), path).toBe(true);
    for (const path of ['src', 'node_modules_extra', 'git', 'node_modules/x'])
      expect(defaults.skipped(path), path).toBe(false);
  });
});

describe('secrets.shadow and secrets.expose', () => {
  it('adds shadow patterns to the defaults: a name anywhere, a path from the root', () => {
    const rules = secretRules({ shadow: ['*.p12', 'config/prod.yaml', '/private', 'deploy/**/*.json'] });
    expect(rules.shadowed('.env')).toBe(true);
    expect(rules.shadowed('a/b/cert.p12')).toBe(true);
    expect(rules.shadowed('config/prod.yaml')).toBe(true);
    expect(rules.shadowed('x/config/prod.yaml')).toBe(false);
    expect(rules.shadowed('private')).toBe(true);
    expect(rules.shadowed('x/private')).toBe(false);
    expect(rules.shadowed('deploy/a.json')).toBe(true);
    expect(rules.shadowed('deploy/k8s/prod/a.json')).toBe(true);
    expect(rules.shadowed('other/deploy/a.json')).toBe(false);
  });

  it('exposes a name anywhere, a path, and everything below an exposed folder', () => {
    const rules = secretRules({ expose: ['.env.example', 'test/fixtures', 'certs/dev.pem'] });
    expect(rules.exposed('.env.example')).toBe(true);
    expect(rules.exposed('web/.env.example')).toBe(true);
    expect(rules.exposed('.env')).toBe(false);
    expect(rules.exposed('test/fixtures')).toBe(true);
    expect(rules.exposed('test/fixtures/tls/server.key')).toBe(true);
    expect(rules.exposed('test/fixtures2/server.key')).toBe(false);
    expect(rules.exposed('certs/dev.pem')).toBe(true);
    expect(rules.exposed('certs/prod.pem')).toBe(false);
  });

  it('matches ? as one character and never lets * or ? cross a folder', () => {
    const rules = secretRules({ shadow: ['key?.txt', 'a*b'] });
    expect(rules.shadowed('key1.txt')).toBe(true);
    expect(rules.shadowed('key12.txt')).toBe(false);
    expect(rules.shadowed('axyzb')).toBe(true);
    expect(rules.shadowed('ax/yb')).toBe(false);
  });

  it('takes dots, plus signs and brackets literally', () => {
    const rules = secretRules({ shadow: ['a+b.c'] });
    expect(rules.shadowed('a+b.c')).toBe(true);
    expect(rules.shadowed('aab.c')).toBe(false);
    expect(rules.shadowed('a+bxc')).toBe(false);
    expect(pathRegex('a/x(1)')).toBe('a/x\\(1\\)');
  });

  it('leaves the folders another mount covers unsearched, as written', () => {
    const rules = secretRules({}, ['data/shared.v1']);
    expect(rules.skipped('data/shared.v1')).toBe(true);
    expect(rules.skipped('data/sharedxv1')).toBe(false);
  });
});

describe('the same rules in the check the agent container runs at every start', () => {
  const script = fileURLToPath(new URL('../../images/check-secret-shadows.sh', import.meta.url));

  it.skipIf(!hasTools())('finds exactly the paths the host rules find (nothing is mounted here)', () => {
    const root = mkdtempSync(join(tmpdir(), 'claude-tui-unit-secret-find-'));
    try {
      const paths = [
        '.env',
        '.env.local',
        'my.env',
        'a/b/server.pem',
        'a/b/server.pem.txt',
        'a+b.c',
        'aab.c',
        'deploy/k8s/a.json',
        'deploy/a.txt',
        'node_modules/pkg/test.pem',
        'mounted/x.key',
        'test/fixtures/x.key',
        'web/.env.example',
        'odd name/id_rsa',
        'private/inside.txt',
      ];
      for (const path of paths) {
        mkdirSync(join(root, dirname(path)), { recursive: true });
        writeFileSync(join(root, path), '');
      }
      const rules = secretRules(
        { shadow: ['a+b.c', 'deploy/**/*.json', 'private/'], expose: ['test/fixtures', '.env.example'] },
        ['mounted'],
      );
      const result = spawnSync('bash', [script], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          CLAUDE_TUI_WORKSPACE: root,
          CLAUDE_TUI_SECRET_CHECK: JSON.stringify(rules.source),
        },
      });
      expect(result.status, result.stderr).toBe(78);
      const found = result.stdout
        .split('\n')
        .filter((line) => line.startsWith('  '))
        .map((line) => line.trim().replace(/\\ /g, ' '))
        .sort();
      const onHost = [...paths, 'private']
        .filter(
          (path) => !rules.exposed(path) && !/^(node_modules|mounted)\//.test(path) && rules.shadowed(path),
        )
        .sort();
      expect(found).toEqual(onHost);
      expect(found).toEqual([
        '.env',
        '.env.local',
        'a+b.c',
        'a/b/server.pem',
        'deploy/k8s/a.json',
        'odd name/id_rsa',
        'private',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasTools())('lets a start go on when there is nothing to check', () => {
    const result = spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(result.status).toBe(0);
  });
});

function hasTools(): boolean {
  const find = spawnSync('find', ['--version'], { encoding: 'utf8' });
  return find.stdout?.includes('GNU findutils') === true && spawnSync('jq', ['--version']).status === 0;
}
