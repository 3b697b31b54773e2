import { describe, expect, it } from 'vitest';
import { listed, secretNotesAfterUp } from '../../src/app/secret-shadow-report.js';
import type { SecretScan } from '../../src/project/secret-scan.js';

const scan = (paths: string[], notes: string[] = []): SecretScan => ({
  shadows: paths.map((path) => ({ path, kind: path.endsWith('/') ? 'folder' : 'file' })),
  notes,
  entries: 10,
  truncated: false,
});

describe('what up says about secret files', () => {
  it('says nothing when the agent container was kept', () => {
    expect(secretNotesAfterUp(scan(['.env'], ['a note']), [], false)).toEqual([]);
  });

  it('counts the shadows of a first container, with the notes', () => {
    expect(secretNotesAfterUp(scan(['.env', 'a.key'], ['a note']), undefined, true)).toEqual([
      'Shadowed 2 secret file(s) and folder(s): empty and read-only for the agent (claude-tui status lists them).',
      'a note',
    ]);
  });

  it('names what the old container did not shadow, a folder covering what is below it', () => {
    const before = [
      { path: '.env', kind: 'file' as const },
      { path: 'private', kind: 'folder' as const },
    ];
    expect(secretNotesAfterUp(scan(['.env', 'private/x.key', 'app/.env.new']), before, true)).toEqual([
      'Shadowed secret files that appeared since the agent container was made (it was made anew): app/.env.new',
    ]);
  });

  it('lists ten paths on a line and counts the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ path: `${i}.key`, kind: 'file' as const }));
    expect(listed(many)).toBe(
      '0.key, 1.key, 2.key, 3.key, 4.key, 5.key, 6.key, 7.key, 8.key, 9.key and 2 more',
    );
    expect(listed([{ path: 'private', kind: 'folder' }])).toBe('private/');
  });
});
