import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretRules } from '../../src/project/secret-patterns.js';
import { scanForSecrets, type ScanOptions } from '../../src/project/secret-scan.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'claude-tui-unit-secret-scan-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function files(...paths: string[]): void {
  for (const path of paths) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), `content of ${path}\n`);
  }
}

function scan(options: Partial<ScanOptions> = {}) {
  return scanForSecrets(root, {
    rules: secretRules(),
    mountedPaths: [],
    workspace: '/workspace',
    ...options,
  });
}

const paths = (result: Awaited<ReturnType<typeof scan>>) => result.shadows.map((s) => `${s.kind} ${s.path}`);

describe('scanForSecrets', () => {
  it('finds secret files at any depth, sorted, and a matching folder as a folder', async () => {
    files('.env', 'src/app.ts', 'deep/a/b/c/server.key', 'certs.pem/inside.txt', '.npmrc', 'README.md');
    const result = await scan();
    expect(paths(result)).toEqual([
      'file .env',
      'file .npmrc',
      'folder certs.pem',
      'file deep/a/b/c/server.key',
    ]);
    expect(result.truncated).toBe(false);
    expect(result.notes).toEqual([]);
  });

  it('does not search version control data or dependencies', async () => {
    files(
      '.git/id_rsa',
      'node_modules/pkg/test.pem',
      'web/node_modules/x/.npmrc',
      'venv/lib/site-packages/certifi/cacert.pem',
    );
    files('web/.env');
    expect(paths(await scan())).toEqual(['file web/.env']);
  });

  it('leaves exposed paths and everything below an exposed folder', async () => {
    files('.env', '.env.example', 'test/fixtures/server.key', 'test/fixtures/deeper/id_rsa', 'test/real.key');
    const result = await scan({ rules: secretRules({ expose: ['.env.example', 'test/fixtures'] }) });
    expect(paths(result)).toEqual(['file .env', 'file test/real.key']);
  });

  it('adds shadow patterns, and does not look inside a shadowed folder', async () => {
    files('private/notes.txt', 'private/.env', 'src/private.txt');
    const result = await scan({ rules: secretRules({ shadow: ['private'] }) });
    expect(paths(result)).toEqual(['folder private']);
  });

  it('never shadows a path another mount uses, nor a folder above one; searches inside instead', async () => {
    files('.claude/claude-tui.yaml', '.claude/settings.key', 'data/.env', 'data.key/x');
    const result = await scan({
      rules: secretRules({ shadow: ['.claude', '*.yaml'] }, ['data']),
      mountedPaths: ['.claude/claude-tui.yaml'],
      coveredPaths: ['data'],
    });
    expect(paths(result)).toEqual(['file .claude/settings.key', 'folder data.key']);
  });

  describe('symbolic links (Docker would mount wherever one leads inside the container)', () => {
    it('shadows what a link in the project leads to, never the link itself', async () => {
      files('config/prod-values.txt', 'config/keys/a.txt');
      symlinkSync('config/prod-values.txt', join(root, '.env'));
      symlinkSync('/workspace/config/keys', join(root, 'keys.pem'));
      const result = await scan();
      expect(result.shadows).toEqual([
        { path: 'config/keys', kind: 'folder', via: 'keys.pem' },
        { path: 'config/prod-values.txt', kind: 'file', via: '.env' },
      ]);
    });

    it('lets a shadowed folder a link leads to take the place of shadows below it', async () => {
      files('config/server.key', 'config/other.txt');
      symlinkSync('config', join(root, 'keys.pem'));
      expect((await scan()).shadows).toEqual([{ path: 'config', kind: 'folder', via: 'keys.pem' }]);
    });

    it('says nothing of a link that leads nowhere', async () => {
      symlinkSync('missing.txt', join(root, '.env'));
      expect(await scan()).toMatchObject({ shadows: [], notes: [] });
    });

    it('mounts nothing for a link out of the project, and says so', async () => {
      symlinkSync('/etc/hostname', join(root, 'host.pem'));
      symlinkSync('../../elsewhere/.env', join(root, '.env'));
      const result = await scan();
      expect(result.shadows).toEqual([]);
      // The second leads nowhere: nothing to say.
      expect(result.notes).toEqual([
        'host.pem is a symbolic link out of the project: not shadowed (inside, it shows no host file)',
      ]);
    });

    it('does not follow a link to a folder while searching', async () => {
      const outside = mkdtempSync(join(tmpdir(), 'claude-tui-unit-secret-outside-'));
      try {
        writeFileSync(join(outside, '.env'), 'x');
        symlinkSync(outside, join(root, 'linked'));
        expect((await scan()).shadows).toEqual([]);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('leaves a link to a path another mount uses (a policy file) to that mount', async () => {
      files('.claude/claude-tui.yaml');
      symlinkSync('/workspace/.claude/claude-tui.yaml', join(root, '.env'));
      expect((await scan({ mountedPaths: ['.claude/claude-tui.yaml'] })).shadows).toEqual([]);
    });

    it('needs nothing for a link into a shadowed folder or to an exposed file', async () => {
      files('private/token.txt', 'shared/dev.txt');
      symlinkSync('private/token.txt', join(root, '.env'));
      symlinkSync('shared/dev.txt', join(root, '.env.dev'));
      const result = await scan({ rules: secretRules({ shadow: ['private'], expose: ['shared'] }) });
      expect(paths(result)).toEqual(['folder private']);
    });
  });

  it('neither shadows nor searches a Python virtualenv named like a secret (.env/ with pyvenv.cfg)', async () => {
    files('.env/pyvenv.cfg', '.env/bin/activate', '.env/lib/cert.pem', 'app/.env/inside.txt', 'web/.env');
    expect(paths(await scan())).toEqual(['folder app/.env', 'file web/.env']);
  });

  it('exposes .env templates by default, unless secrets.shadow names one', async () => {
    files('.env', '.env.example', 'web/.env.sample', '.env.template', '.env.dist', '.env.local');
    expect(paths(await scan())).toEqual(['file .env', 'file .env.local']);
    const shadowed = await scan({ rules: secretRules({ shadow: ['.env.dist'] }) });
    expect(paths(shadowed)).toEqual(['file .env', 'file .env.dist', 'file .env.local']);
  });

  it('does not search vendored dependencies and virtualenvs', async () => {
    files('vendor/x/a.key', '.venv/a.pem', 'venv/b.pem', '.tox/py/c.pem', '.bundle/config/.netrc', 'ok.key');
    expect(paths(await scan())).toEqual(['file ok.key']);
  });

  it('stops at the cap, shallowest first, and says what that means', async () => {
    files('.env', 'a/b/c/d/deep.key', 'a/1', 'a/2', 'a/3');
    const result = await scan({ maxEntries: 4 });
    expect(paths(result)).toEqual(['file .env']);
    expect(result.truncated).toBe(true);
    expect(result.entries).toBe(4);
    expect(result.notes.join()).toContain('more than 4 files and folders');
    expect(result.notes.join()).toContain(
      '`claude-tui up` makes no agent container until the search is whole',
    );
    expect(result.truncatedBecause).toBe('the project has more than 4 files and folders to search');
  });

  it('stops at the most shadows it makes', async () => {
    files('1.key', '2.key', '3.key');
    const result = await scan({ maxShadows: 2 });
    expect(paths(result)).toEqual(['file 1.key', 'file 2.key']);
    expect(result.truncated).toBe(true);
    expect(result.truncatedBecause).toBe('more than 2 paths match (1.key, 2.key, ...)');
  });

  it('gives the same answer for the same tree', async () => {
    files('b/.env', 'a/.env', 'c.key', 'z/y/x/id_rsa');
    expect(await scan()).toEqual(await scan());
  });
});
