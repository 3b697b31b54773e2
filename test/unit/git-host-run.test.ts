import { describe, expect, it } from 'vitest';
import { hostRunReason, scriptsChanged } from '../../src/git/host-run.js';
import { parseLog } from '../../src/git/parse-log.js';
import { statusPaths } from '../../src/git/merge-target.js';

const change = (path: string, oldMode = '100644', newMode = '100644') => ({ path, oldMode, newMode });

describe('hostRunReason', () => {
  it('flags workflows, hooks, editor and container config, direnv and Makefiles at any depth', () => {
    expect(hostRunReason(change('.github/workflows/ci.yml'))).toBe('GitHub workflow');
    expect(hostRunReason(change('.husky/pre-commit'))).toBe('git hook (husky)');
    expect(hostRunReason(change('tools/.githooks/pre-push'))).toBe('git hook');
    expect(hostRunReason(change('.vscode/tasks.json'))).toBe('VS Code settings or tasks');
    expect(hostRunReason(change('.devcontainer/devcontainer.json'))).toBe('dev container config');
    expect(hostRunReason(change('sub/.envrc'))).toBe('direnv .envrc');
    expect(hostRunReason(change('Makefile'))).toBe('Makefile');
    expect(hostRunReason(change('pkg/GNUmakefile'))).toBe('Makefile');
  });

  it('flags what git, package managers and hook runners act on, and a new symbolic link', () => {
    expect(hostRunReason(change('.gitattributes'))).toBe('git attributes (filters, diff drivers)');
    expect(hostRunReason(change('.lfsconfig'))).toBe('git-lfs config (its server)');
    expect(hostRunReason(change('.gitmodules'))).toBe('git submodules');
    expect(hostRunReason(change('.pre-commit-config.yaml'))).toBe('pre-commit hooks');
    expect(hostRunReason(change('web/.yarnrc.yml'))).toBe('package manager config');
    expect(hostRunReason(change('.idea/workspace.xml'))).toMatch(/^JetBrains/);
    expect(hostRunReason(change('.cargo/config.toml'))).toMatch(/^cargo config/);
    // A link could lead a folder that runs on the host past every name.
    expect(hostRunReason(change('.vscode-link', '000000', '120000'))).toBe('a symbolic link');
    expect(hostRunReason(change('docs', '040000', '120000'))).toBe('a symbolic link');
    expect(hostRunReason(change('.vscode', '120000', '120000'))).toBe('a symbolic link, retargeted');
  });

  it('leaves ordinary files and look-alike names alone', () => {
    expect(hostRunReason(change('src/index.ts'))).toBeUndefined();
    expect(hostRunReason(change('docs/github/workflows.md'))).toBeUndefined();
    expect(hostRunReason(change('my.husky/file'))).toBeUndefined();
    expect(hostRunReason(change('Makefile.md'))).toBeUndefined();
  });

  it('flags a rename out of a hooks folder by its old path', () => {
    expect(hostRunReason({ ...change('innocent.txt'), oldPath: '.husky/pre-commit' })).toBe(
      'git hook (husky)',
    );
  });

  it('flags a new executable file and a mode change to executable, not one that stays executable', () => {
    expect(hostRunReason(change('run.sh', '000000', '100755'))).toBe('new executable file');
    expect(hostRunReason(change('run.sh', '100644', '100755'))).toBe('made executable');
    expect(hostRunReason(change('run.sh', '100755', '100755'))).toBeUndefined();
    expect(hostRunReason(change('run.sh', '100755', '100644'))).toBeUndefined();
  });

  it('flags package.json only when its scripts changed', () => {
    expect(hostRunReason(change('package.json'), () => true)).toBe('package.json scripts');
    expect(hostRunReason(change('web/package.json'), () => true)).toBe('package.json scripts');
    expect(hostRunReason(change('package.json'), () => false)).toBeUndefined();
    expect(hostRunReason(change('notpackage.json'), () => true)).toBeUndefined();
  });
});

describe('scriptsChanged', () => {
  const pkg = (scripts?: object, extra: object = {}) => JSON.stringify({ name: 'p', ...extra, scripts });
  it('compares parsed scripts, ignoring formatting, key order and other fields', () => {
    expect(
      scriptsChanged(
        pkg({ a: '1', b: '2' }),
        JSON.stringify({ scripts: { b: '2', a: '1' }, name: 'p' }, null, 4),
      ),
    ).toBe(false);
    expect(scriptsChanged(pkg({ a: '1' }), pkg({ a: '1' }, { version: '2' }))).toBe(false);
    expect(scriptsChanged(pkg({ a: '1' }), pkg({ a: '2' }))).toBe(true);
    expect(scriptsChanged(pkg({ a: '1' }), pkg({ a: '1', postinstall: 'x' }))).toBe(true);
  });

  it('counts a new file with scripts, a removed one, and an unparseable side as changed', () => {
    expect(scriptsChanged(undefined, pkg({ a: '1' }))).toBe(true);
    expect(scriptsChanged(undefined, pkg())).toBe(false);
    expect(scriptsChanged(pkg({ a: '1' }), undefined)).toBe(true);
    expect(scriptsChanged(pkg({ a: '1' }), '{ "scripts": ')).toBe(true);
  });
});

describe('parseLog', () => {
  const header = (sha: string, subject: string, body: string) =>
    [`\x01${sha}`, 'Agent', 'agent@example.test', '100', subject, body].join('\0');
  it('reads by position, so a crafted path or message cannot forge or hide a file', () => {
    const sha1 = 'a'.repeat(40);
    const sha2 = 'b'.repeat(40);
    const evilPath = `x\x01${'c'.repeat(40)}`;
    const output = [
      header(sha1, 'one', 'one\n:100644 100644 x y M\n'),
      `\n:000000 100755 ${'0'.repeat(40)} ${'1'.repeat(40)} A`,
      evilPath,
      `:100644 100644 ${'2'.repeat(40)} ${'3'.repeat(40)} R090`,
      '.github/workflows/a.yml',
      'b.txt',
      `\n1\t0\t${evilPath}`,
      '2\t3\t',
      '.github/workflows/a.yml',
      'b.txt',
      header(sha2, 'two', 'two\n'),
      '',
    ].join('\0');
    const commits = parseLog(output);
    expect(commits.map((c) => c.sha)).toEqual([sha1, sha2]);
    expect(commits[0]?.message).toBe('one\n:100644 100644 x y M');
    expect(commits[0]?.files).toEqual([
      expect.objectContaining({ path: evilPath, status: 'added', newMode: '100755', added: 1, removed: 0 }),
      expect.objectContaining({
        path: 'b.txt',
        oldPath: '.github/workflows/a.yml',
        status: 'renamed',
        added: 2,
        removed: 3,
      }),
    ]);
    expect(commits[1]?.files).toEqual([]);
  });
});

describe('statusPaths', () => {
  it('reads every kind of porcelain v2 entry, with spaces in paths', () => {
    const output = [
      '1 .M N... 100644 100644 100644 aaa bbb src/a file.txt',
      '2 R. N... 100644 100644 100644 aaa bbb R100 new name.txt',
      'old name.txt',
      'u UU N... 100644 100644 100644 100644 aaa bbb ccc both.txt',
      '? untracked.txt',
      '! ignored.env',
      '',
    ].join('\0');
    expect(statusPaths(output)).toEqual([
      'src/a file.txt',
      'new name.txt',
      'old name.txt',
      'both.txt',
      'untracked.txt',
      'ignored.env',
    ]);
  });
});
