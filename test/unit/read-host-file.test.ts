import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readHostFile } from '../../src/policy/read-host-file.js';

let root: string;
let project: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'read-host-file-'));
  project = join(root, 'project');
  mkdirSync(join(project, '.claude'), { recursive: true });
  writeFileSync(join(root, 'outside.txt'), 'host secret\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string, maxBytes?: number) =>
  readHostFile(join(project, path), { within: project, ...(maxBytes ? { maxBytes } : {}) });

describe('readHostFile', () => {
  it('reads a file in the project and says when there is none', async () => {
    writeFileSync(join(project, '.claude', 'a.txt'), 'hello\n');
    expect(await read('.claude/a.txt')).toEqual({ kind: 'file', text: 'hello\n' });
    expect(await read('.claude/missing.txt')).toEqual({ kind: 'absent' });
    expect(await read('nofolder/missing.txt')).toEqual({ kind: 'absent' });
  });

  it('follows a link that stays in the project', async () => {
    writeFileSync(join(project, 'real.txt'), 'inside\n');
    symlinkSync('../real.txt', join(project, '.claude', 'a.txt'));
    expect(await read('.claude/a.txt')).toEqual({ kind: 'file', text: 'inside\n' });
  });

  it('refuses a link out of the project, as the file or as a folder on its way', async () => {
    symlinkSync(join(root, 'outside.txt'), join(project, '.claude', 'a.txt'));
    const direct = await read('.claude/a.txt');
    expect(direct).toEqual({
      kind: 'refused',
      reason: `is a symbolic link out of the project (to ${join(root, 'outside.txt')})`,
    });
    rmSync(join(project, '.claude'), { recursive: true });
    symlinkSync(root, join(project, '.claude'));
    expect((await read('.claude/outside.txt')).kind).toBe('refused');
  });

  it('refuses a link that leads nowhere, naming where it points', async () => {
    symlinkSync('/nowhere/at/all', join(project, '.claude', 'a.txt'));
    expect(await read('.claude/a.txt')).toEqual({
      kind: 'refused',
      reason: 'is a symbolic link to /nowhere/at/all, which does not exist',
    });
  });

  it('never opens a FIFO (which would block) or reads a device', async () => {
    execFileSync('mkfifo', [join(project, '.claude', 'fifo')]);
    expect(await read('.claude/fifo')).toEqual({
      kind: 'refused',
      reason: 'is a FIFO (named pipe), not a file',
    });
    // A device is outside the project anyway; read as a named file elsewhere, it is still refused.
    expect(await readHostFile('/dev/zero')).toEqual({ kind: 'refused', reason: 'is a device, not a file' });
    expect(await read('.claude')).toEqual({ kind: 'refused', reason: 'is a folder, not a file' });
  });

  it('refuses a file over the limit without reading it all', async () => {
    writeFileSync(join(project, '.claude', 'big'), Buffer.alloc(2 * 1024 * 1024, 'a'));
    expect(await read('.claude/big')).toEqual({ kind: 'refused', reason: 'is larger than 1 MB' });
    writeFileSync(join(project, '.claude', 'small'), '12345');
    expect(await read('.claude/small', 4)).toEqual({ kind: 'refused', reason: 'is larger than 4 bytes' });
  });
});
