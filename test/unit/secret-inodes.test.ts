import { linkSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inodeRecordFile, readInodeRecord, writeInodeRecord } from '../../src/project/secret-inodes.js';
import { planSecretShadows } from '../../src/project/secret-shadows.js';

let root: string;
let state: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'claude-tui-unit-secret-inodes-'));
  state = mkdtempSync(join(tmpdir(), 'claude-tui-unit-secret-inodes-state-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

function file(path: string, text = `content of ${path}\n`): void {
  mkdirSync(join(root, dirname(path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** `up` as far as the shadows go: plan them, then write the record the check reads. */
async function up() {
  const plan = await planSecretShadows(
    root,
    {},
    { protectedPaths: [], mountTargets: [] },
    state,
    '/workspace',
  );
  await writeInodeRecord(plan.shadows.inodeFile, plan.shadows.record);
  return plan;
}

const paths = (plan: Awaited<ReturnType<typeof up>>) => plan.shadows.shadows.map((s) => s.path);

describe('the inode record of shadowed files', () => {
  it('records each shadow with its inode, and the project folder', async () => {
    file('config/.env');
    await up();
    const record = await readInodeRecord(inodeRecordFile(state));
    expect(record).toMatchObject({
      device: lstatSync(root).dev,
      root: lstatSync(root).ino,
      shadows: [{ path: 'config/.env', kind: 'file', inode: lstatSync(join(root, 'config/.env')).ino }],
    });
  });

  it('shadows a secret moved into a folder the walk skips since the last up, where it is now', async () => {
    file('config/.env', 'SECRET=1\n');
    expect(paths(await up())).toEqual(['config/.env']);
    mkdirSync(join(root, 'node_modules'));
    renameSync(join(root, 'config'), join(root, 'node_modules/config'));
    file('config/.env', ''); // Docker makes the old mount point again on a restart
    const plan = await up();
    expect(paths(plan)).toEqual(['config/.env', 'node_modules/config/.env']);
    expect(plan.scan.notes).toContain(
      'node_modules/config/.env is the same file as config/.env (moved there, or another name of it): shadowed too',
    );
    // ...and goes on knowing it at the next up, and after the host replaced it (a new inode).
    expect(paths(await up())).toEqual(['config/.env', 'node_modules/config/.env']);
    writeFileSync(join(root, 'node_modules/config/.env.tmp'), 'SECRET=2\n');
    renameSync(join(root, 'node_modules/config/.env.tmp'), join(root, 'node_modules/config/.env'));
    const replaced = await up();
    expect(paths(replaced)).toEqual(['config/.env', 'node_modules/config/.env']);
    expect(replaced.shadows.replacedOnHost).toEqual(['node_modules/config/.env']);
  });

  it('shadows every other name (hard link) of a shadowed file', async () => {
    file('.env');
    mkdirSync(join(root, '.git'));
    linkSync(join(root, '.env'), join(root, '.git/innocent.txt'));
    expect(paths(await up())).toEqual(['.env', '.git/innocent.txt']);
  });

  it('does not take an unrelated file that got a deleted secret its inode', async () => {
    file('.env', 'SECRET=1\n');
    await up();
    const record = (await readInodeRecord(inodeRecordFile(state)))!;
    // As if the freed inode went to another file: same number, another size and time.
    await writeInodeRecord(inodeRecordFile(state), {
      ...record,
      shadows: [{ ...record.shadows[0]!, path: 'old/.env', size: 999 }],
    });
    expect(paths(await up())).toEqual(['.env']);
  });

  it('names a shadowed file replaced on the host since the last up (an editor saving by rename)', async () => {
    file('.env', 'A=1\n');
    file('.npmrc');
    expect((await up()).shadows.replacedOnHost).toEqual([]);
    writeFileSync(join(root, '.env.tmp'), 'A=2\n');
    renameSync(join(root, '.env.tmp'), join(root, '.env'));
    const plan = await up();
    expect(plan.shadows.replacedOnHost).toEqual(['.env']);
    expect(paths(plan)).toEqual(['.env', '.npmrc']);
    expect((await up()).shadows.replacedOnHost).toEqual([]);
  });
});
