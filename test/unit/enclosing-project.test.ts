import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deepestContaining,
  isWithin,
  projectFolderAround,
  realFolder,
} from '../../src/project/enclosing-project.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'ctui-enclosing-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const folder = (...parts: string[]) => {
  const dir = join(root, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('isWithin and deepestContaining', () => {
  it('holds a folder itself and what is below it, not a sibling with a longer name', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b/c', '/a/b')).toBe(true);
    expect(isWithin('/a/bc', '/a/b')).toBe(false);
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });

  it('picks the innermost of nested projects', () => {
    const projects = [{ dir: '/w' }, { dir: '/w/mono/web' }, { dir: '/w/mono' }];
    expect(deepestContaining(projects, '/w/mono/web/src')?.dir).toBe('/w/mono/web');
    expect(deepestContaining(projects, '/w/other')?.dir).toBe('/w');
    expect(deepestContaining(projects, '/elsewhere')).toBeUndefined();
  });
});

describe('projectFolderAround (a folder no known project holds)', () => {
  it('takes the root of the git repository from any folder below it', () => {
    const repo = folder('repo');
    folder('repo', '.git');
    expect(projectFolderAround(folder('repo', 'src', 'deep'), '/nonexistent-home')).toBe(repo);
    expect(projectFolderAround(repo, '/nonexistent-home')).toBe(repo);
  });

  it('takes a folder with .claude below the repository root over the root', () => {
    folder('mono', '.git');
    const web = folder('mono', 'packages', 'web');
    folder('mono', 'packages', 'web', '.claude');
    expect(projectFolderAround(folder('mono', 'packages', 'web', 'src'), '/nonexistent-home')).toBe(web);
  });

  it('knows a worktree or submodule by its .git file', () => {
    const worktree = folder('worktree');
    writeFileSync(join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
    expect(projectFolderAround(folder('worktree', 'lib'), '/nonexistent-home')).toBe(worktree);
  });

  it('never takes the home folder, whose .claude is the agent’s own settings, nor goes above it', () => {
    const home = folder('home');
    folder('home', '.claude');
    expect(projectFolderAround(folder('home', 'notes', 'today'), home)).toBeNull();
    expect(projectFolderAround(home, home)).toBeNull();
    // Above the home folder a .git would still be another person's business.
    folder('.git');
    expect(projectFolderAround(folder('home', 'notes'), home)).toBeNull();
  });

  it('finds nothing in a folder tree without either mark', () => {
    expect(projectFolderAround(folder('plain', 'sub'), root)).toBeNull();
  });

  it('does not take a file named .claude', () => {
    const dir = folder('odd');
    writeFileSync(join(dir, '.claude'), '');
    expect(projectFolderAround(dir, root)).toBeNull();
  });
});

describe('realFolder', () => {
  it('resolves symlinks as projects are named, and keeps a path it cannot resolve', () => {
    const real = folder('real');
    symlinkSync(real, join(root, 'link'));
    expect(realFolder(join(root, 'link'))).toBe(real);
    expect(realFolder(join(root, 'missing'))).toBe(join(root, 'missing'));
  });
});
