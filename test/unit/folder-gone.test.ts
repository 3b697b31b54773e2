import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderIsGone } from '../../src/project/folder-gone.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ctui-folder-gone-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('folderIsGone', () => {
  it('calls a folder gone only when nothing (or a file) is there', () => {
    const dir = join(root, 'here');
    mkdirSync(dir);
    expect(folderIsGone(dir)).toBe(false);
    expect(folderIsGone(join(root, 'gone'))).toBe(true);
    writeFileSync(join(root, 'file'), '');
    expect(folderIsGone(join(root, 'file'))).toBe(true);
    expect(folderIsGone(join(root, 'file', 'below'))).toBe(true);
  });
});
