import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lastStatusInLog } from '../../src/firewall/gateway-control.js';
import { followSessionFeed, sessionFeedWriter, sessionListNow } from '../../src/session/session-feed.js';
import { sessionJudge, type StateChange } from '../../src/session/watch-sessions.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ctui-feed-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const until = async (test: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const line = (name: string, state: string, source = 'hook') =>
  [name, state, '1700000000', source, 'yes', '1700000000', '1700000000', '-'].join('\t');

describe('the session feed', () => {
  it('gives its list at once to the first look, only while its writer lives', async () => {
    const dir = tempDir();
    expect(sessionListNow(dir)).toBeUndefined();
    const writer = sessionFeedWriter(dir);
    writer.publish(line('s1', 'working'));
    await until(() => readdirSync(dir).includes('sessions.feed'));
    expect(sessionListNow(dir)).toBe(line('s1', 'working'));
    // A feed whose writer is gone (killed without a word) is no news.
    writeFileSync(join(dir, 'sessions.feed'), `claude-tui session feed 1 999999999\n${line('s1', 'idle')}`);
    expect(sessionListNow(dir)).toBeUndefined();
    writeFileSync(join(dir, 'sessions.feed'), `claude-tui session feed broken ${process.pid}\nfull disk`);
    expect(sessionListNow(dir)).toBeUndefined();
    await writer.close();
  });

  it('passes each list from the writer to a reader, in order, and ends when the writer closes it', async () => {
    const dir = tempDir();
    const writer = sessionFeedWriter(dir);
    writer.publish(line('s1', 'working'));
    await until(() => readdirSync(dir).includes('sessions.feed'));
    const seen: string[] = [];
    const feed = await followSessionFeed(dir, (text) => seen.push(text));
    expect(feed).toBeDefined();
    expect(seen).toEqual([line('s1', 'working')]);

    for (const state of ['waiting', 'working', 'idle']) writer.publish(line('s1', state));
    await until(() => seen.at(-1) === line('s1', 'idle'));
    // Events may merge writes, but never reorder them.
    const states = seen.map((text) => text.split('\t')[1]);
    expect(states.join(' ')).toMatch(/^working( waiting)?( working)? idle$/);

    await writer.close();
    await feed!.done;
    expect(readdirSync(dir)).not.toContain('sessions.feed');
  });

  it('tells its reader when a list could not be written, instead of leaving the last one standing', async () => {
    const dir = tempDir();
    const writer = sessionFeedWriter(dir);
    writer.publish(line('s1', 'working'));
    await until(() => readdirSync(dir).includes('sessions.feed'));
    const seen: string[] = [];
    const problems: string[] = [];
    const feed = await followSessionFeed(
      dir,
      (text) => seen.push(text),
      (reason) => problems.push(reason),
    );
    // The writer's next write lands on a folder in the way of its temporary file: it fails.
    mkdirSync(join(dir, `sessions.feed.${process.pid}.tmp`));
    writer.publish(line('s1', 'waiting'));
    await feed!.done;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('EISDIR');
    expect(seen).toEqual([line('s1', 'working')]);
    await writer.close();
  });

  it('is not trusted when its writer is gone, nor when it is not a feed', async () => {
    const dir = tempDir();
    expect(await followSessionFeed(dir, () => undefined)).toBeUndefined();

    // A writer that was killed leaves its file behind.
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((resolve) => child.once('spawn', resolve));
    writeFileSync(
      join(dir, 'sessions.feed'),
      `claude-tui session feed 1 ${child.pid}\n${line('s1', 'idle')}`,
    );
    const seen: string[] = [];
    const feed = await followSessionFeed(dir, (text) => seen.push(text));
    expect(seen).toEqual([line('s1', 'idle')]);
    child.kill('SIGKILL');
    await feed!.done; // the reader notices within its liveness check
    expect(await followSessionFeed(dir, () => undefined)).toBeUndefined();

    writeFileSync(join(dir, 'sessions.feed'), `something else ${process.pid}\n`);
    expect(await followSessionFeed(dir, () => undefined)).toBeUndefined();
  });
});

describe('judging session lists', () => {
  it('tells each change of state after the first look, and lists every time', () => {
    const changes: StateChange[] = [];
    const lists: number[] = [];
    const judge = sessionJudge(
      (change) => changes.push(change),
      (sessions) => lists.push(sessions.length),
    );
    judge.see(line('a', 'working'));
    judge.see([line('a', 'waiting'), line('b', 'working')].join('\n'));
    judge.see([line('a', 'waiting'), line('b', 'idle')].join('\n'));
    judge.stop();
    // A read that was under way when the follower stopped is heard by nobody.
    judge.see(line('a', 'exited'));
    expect(changes.map((c) => `${c.session.name}:${c.from ?? '-'}>${c.session.state}`)).toEqual([
      'a:working>waiting',
      'b:->working',
      'b:working>idle',
    ]);
    expect(lists).toEqual([1, 2, 2]);
  });
});

describe("the firewall status in the gateway's log", () => {
  it('is the last status line, whatever else the log holds', () => {
    const log = [
      'claude-tui-firewall-status: unprotected: starting',
      'claude-tui-firewall-status: protected: 3 names, 0 ranges, applied 2026-11-23T10:00:00Z',
      'claude-tui-entrypoint[gateway]: ready: protected: 3 names',
      'claude-tui-firewall-status: unprotected: the resolver did not start',
      'claude-tui-entrypoint[gateway]: something else',
      '',
    ].join('\n');
    expect(lastStatusInLog(log)).toBe('unprotected: the resolver did not start');
  });

  it('is unknown when there is no status line (a gateway from an older image)', () => {
    expect(lastStatusInLog('claude-tui-entrypoint[gateway]: ready: protected: 3 names\n')).toBeUndefined();
    expect(lastStatusInLog('')).toBeUndefined();
  });
});
