import { describe, expect, it } from 'vitest';
import { pathHash, projectIdentity, slugify } from '../../src/project/identity.js';

const dockerName = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

describe('slugify', () => {
  it('lower-cases and keeps letters, digits, dots, dashes and underscores', () => {
    expect(slugify('My_App.v2-beta')).toBe('my_app.v2-beta');
  });

  it('turns runs of other characters into one dash', () => {
    expect(slugify('my  cool   project')).toBe('my-cool-project');
    expect(slugify('a / b \\ c')).toBe('a-b-c');
    expect(slugify('a---b')).toBe('a-b');
  });

  it('replaces non-ASCII letters rather than keeping them', () => {
    expect(slugify('Café Crème')).toBe('caf-cr-me');
    expect(slugify('日本語プロジェクト')).toBe('project');
    expect(slugify('naïve')).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
  });

  it('drops leading dots, dashes and underscores', () => {
    expect(slugify('.hidden')).toBe('hidden');
    expect(slugify('--flag-like')).toBe('flag-like');
    expect(slugify('_._-x')).toBe('x');
  });

  it('drops trailing separators', () => {
    expect(slugify('name.')).toBe('name');
    expect(slugify('name---')).toBe('name');
    expect(slugify('name!!')).toBe('name');
  });

  it("falls back to 'project' when nothing usable is left", () => {
    expect(slugify('')).toBe('project');
    expect(slugify('...')).toBe('project');
    expect(slugify('---')).toBe('project');
    expect(slugify('___')).toBe('project');
    expect(slugify('🙂')).toBe('project');
  });

  it('caps the length at 32 and never ends on a separator after cutting', () => {
    expect(slugify('a'.repeat(100))).toBe('a'.repeat(32));
    // The 32nd character is a dash: it must be dropped after the cut.
    const cut = slugify(`${'a'.repeat(31)}-bbbb`);
    expect(cut).toBe('a'.repeat(31));
    expect(cut.length).toBeLessThanOrEqual(32);
  });

  it('always starts and ends with a letter or digit', () => {
    for (const input of ['-x-', '.x.', ' x ', 'ÄÖÜ x ÄÖÜ', '__init__', 'x'.repeat(40) + '...']) {
      expect(slugify(input)).toMatch(/^[a-z0-9]([a-z0-9_.-]*[a-z0-9])?$/);
    }
  });
});

describe('pathHash', () => {
  it('is the upper 32 bits of FNV-1a 64 (known test vectors; names depend on it)', () => {
    expect(pathHash('')).toBe('cbf29ce4');
    expect(pathHash('a')).toBe('af63dc4c');
    expect(pathHash('foobar')).toBe('85944171');
  });

  it('is always 8 lower-case hex digits', () => {
    for (const path of ['/', '/home/user/project', '/tmp/ünïcödé/dir', '/x'.repeat(500)]) {
      expect(pathHash(path)).toMatch(/^[0-9a-f]{8}$/);
    }
  });

  it('hashes UTF-8 bytes, so visually similar paths differ', () => {
    expect(pathHash('/p/café')).not.toBe(pathHash('/p/cafe'));
  });
});

describe('projectIdentity', () => {
  it('derives every name from the slug and the path hash', () => {
    const project = projectIdentity('/home/ada/My Project');
    expect(project.dir).toBe('/home/ada/My Project');
    expect(project.slug).toBe('my-project');
    expect(project.id).toBe(pathHash('/home/ada/My Project'));
    const base = `claude-tui-my-project-${project.id}`;
    expect(project.names).toEqual({
      gateway: `${base}-gateway`,
      agent: `${base}-agent`,
      network: `${base}-net`,
      homeVolume: `${base}-home`,
    });
  });

  it('keeps the folder name as spelled for people; only the Docker names are lower-cased', () => {
    const project = projectIdentity('/home/ada/MyApp');
    expect(project.name).toBe('MyApp');
    expect(project.slug).toBe('myapp');
    expect(project.names.agent).toBe(`claude-tui-myapp-${project.id}-agent`);
    expect(projectIdentity('/home/u/日本語').name).toBe('日本語');
  });

  it('gives two folders with the same basename different ids and names', () => {
    const a = projectIdentity('/home/ada/work/app');
    const b = projectIdentity('/home/ada/play/app');
    expect(a.slug).toBe(b.slug);
    expect(a.id).not.toBe(b.id);
    for (const key of ['gateway', 'agent', 'network', 'homeVolume'] as const) {
      expect(a.names[key]).not.toBe(b.names[key]);
    }
  });

  it('is stable for the same path', () => {
    expect(projectIdentity('/srv/x')).toEqual(projectIdentity('/srv/x'));
  });

  it('makes names that are valid Docker names, whatever the folder is called', () => {
    const dirs = [
      '/home/u/project',
      '/home/u/.dotfiles',
      '/home/u/--weird--',
      '/home/u/日本語',
      '/home/u/' + 'long-name-'.repeat(20),
      '/',
      '/home/u/a b c/ÄÖÜ!!',
    ];
    for (const dir of dirs) {
      const { names } = projectIdentity(dir);
      for (const name of Object.values(names)) {
        expect(name, `${dir} → ${name}`).toMatch(dockerName);
        expect(name.length).toBeLessThan(64);
      }
    }
  });

  it("uses 'project' as the slug of the root directory", () => {
    expect(projectIdentity('/').slug).toBe('project');
  });
});
