import { chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostUserFor } from '../../src/project/host-user.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'claude-tui-unit-owner-'));
  // As root, give the folder an owner other than root, so the test tells "owner" from "me".
  if (process.getuid?.() === 0) chownSync(dir, 4321, 8765);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hostUserFor', () => {
  it('returns a non-root caller as is, without looking at the folder', () => {
    expect(hostUserFor(dir, { uid: 1000, gid: 1000 })).toEqual({ uid: 1000, gid: 1000 });
    expect(hostUserFor(join(dir, 'does-not-exist'), { uid: 501, gid: 20 })).toEqual({ uid: 501, gid: 20 });
  });

  it("keeps a non-root caller's group even when it is 0", () => {
    expect(hostUserFor(dir, { uid: 1000, gid: 0 })).toEqual({ uid: 1000, gid: 0 });
  });

  it('returns the owner of the folder when the caller is root', () => {
    const stat = statSync(dir);
    expect(hostUserFor(dir, { uid: 0, gid: 0 })).toEqual({ uid: stat.uid, gid: stat.gid });
    if (process.getuid?.() === 0) expect(stat.uid).toBe(4321);
  });

  it('throws for root when the folder does not exist', () => {
    expect(() => hostUserFor(join(dir, 'missing'), { uid: 0, gid: 0 })).toThrow(/ENOENT/);
  });

  it("defaults to the process's own ids", () => {
    const me = { uid: process.getuid!(), gid: process.getgid!() };
    const expected = me.uid === 0 ? { uid: statSync(dir).uid, gid: statSync(dir).gid } : me;
    expect(hostUserFor(dir)).toEqual(expected);
  });
});
