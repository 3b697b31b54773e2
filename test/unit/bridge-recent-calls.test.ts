import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BridgeCall } from '../../src/bridge/call-log.js';
import { readRecentBridgeCalls, readRecentCalls } from '../../src/bridge/recent-calls.js';

const dir = mkdtempSync(join(tmpdir(), 'ctui-calls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const logFile = (text: string) => {
  const path = join(dir, `calls-${++n}.jsonl`);
  writeFileSync(path, text);
  return path;
};
const line = (call: BridgeCall) => `${JSON.stringify(call)}\n`;
const call = (i: number, extra: Partial<BridgeCall> = {}): BridgeCall => ({
  at: 1_700_000_000_000 + i,
  command: `cmd${i}`,
  exitCode: i % 3,
  durationMs: i,
  ...extra,
});

describe('readRecentCalls', () => {
  it('gives the last calls, newest first', async () => {
    const path = logFile(Array.from({ length: 10 }, (_, i) => line(call(i))).join(''));
    const calls = await readRecentCalls(path, 3);
    expect(calls.map((c) => c.command)).toEqual(['cmd9', 'cmd8', 'cmd7']);
    expect(calls[0]).toEqual(call(9));
  });

  it('has no calls when there is no log yet', async () => {
    expect(await readRecentCalls(join(dir, 'none.jsonl'), 5)).toEqual([]);
  });

  it('skips a last line still being written, and lines that are not calls', async () => {
    const path = logFile(
      [line(call(1)), 'not json\n', '{"at":"yesterday","command":"x","durationMs":1}\n', line(call(2))].join(
        '',
      ) + '{"at":1700000000003,"command":"cm',
    );
    expect((await readRecentCalls(path, 10)).map((c) => c.command)).toEqual(['cmd2', 'cmd1']);
    appendFileSync(path, 'd3","exitCode":0,"durationMs":4}\n');
    expect((await readRecentCalls(path, 10)).map((c) => c.command)).toEqual(['cmd3', 'cmd2', 'cmd1']);
  });

  it('reads a refused call, whose exit code is absent, and makes its name safe to show', async () => {
    const refused = { at: 5, command: 'rm\x1b[2J', durationMs: 0, refused: 'not a bridged command' };
    const path = logFile(`${JSON.stringify(refused)}\n${JSON.stringify({ ...refused, exitCode: null })}\n`);
    const calls = await readRecentCalls(path, 2);
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c).toEqual({
        at: 5,
        command: 'rm^[[2J',
        exitCode: undefined,
        durationMs: 0,
        refused: 'not a bridged command',
      });
    }
  });

  it('reads only the end of a large log', async () => {
    // 2 GB of nothing (a sparse file, so it costs no disk) before the calls: a reader that took the
    // whole file could not even hold it as a string.
    const path = logFile('');
    truncateSync(path, 2 ** 31);
    appendFileSync(path, `\n${Array.from({ length: 500 }, (_, i) => line(call(i))).join('')}`);
    const calls = await readRecentCalls(path, 50);
    expect(calls).toHaveLength(50);
    expect(calls[0]?.command).toBe('cmd499');
    expect(calls[49]?.command).toBe('cmd450');
  });

  it('keeps looking further back when the end holds fewer calls than asked for', async () => {
    const path = logFile(line(call(1)) + line(call(2)) + `${'junk'.repeat(5000)}\n`);
    expect((await readRecentCalls(path, 2)).map((c) => c.command)).toEqual(['cmd2', 'cmd1']);
  });
});

describe('readRecentBridgeCalls', () => {
  it('merges calls and refusals newest first, a run of refusals as one line with its count', async () => {
    const refused = (i: number) =>
      call(i, { command: 'nope', exitCode: undefined, refused: 'nope is not a command' });
    const calls = logFile([call(1), call(50), call(65)].map(line).join(''));
    const refusals = logFile(
      [
        ...Array.from({ length: 40 }, (_, i) => refused(10 + i)),
        refused(60),
        ...Array.from({ length: 3 }, (_, i) => refused(70 + i)),
      ]
        .map(line)
        .join(''),
    );
    const shown = await readRecentBridgeCalls({ calls, refusals }, 10);
    expect(shown.map((c) => [c.command, c.refused])).toEqual([
      ['nope', 'nope is not a command (and 2 more refused calls before it)'],
      ['cmd65', undefined],
      ['nope', 'nope is not a command'],
      ['cmd50', undefined],
      ['nope', 'nope is not a command (and 39 more refused calls before it)'],
      ['cmd1', undefined],
    ]);
    expect(shown[0]!.at).toBe(call(72).at);
    expect(await readRecentBridgeCalls({ calls, refusals: join(dir, 'none.jsonl') }, 1)).toEqual([call(65)]);
  });
});
