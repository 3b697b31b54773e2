import { describe, expect, it } from 'vitest';
import { paneSize } from '../../src/cli/commands/run.js';
import { SessionEndReader } from '../../src/session/wait-session.js';

function parseSessionEnd(output: Buffer, maxBytes = 1 << 20) {
  const reader = new SessionEndReader(maxBytes);
  reader.push(output);
  return reader.result();
}
const answer = (head: string, transcript = 'answer: hi\r\n') =>
  parseSessionEnd(Buffer.concat([Buffer.from(head), Buffer.from(transcript)]));

describe("`session wait`'s answer", () => {
  it('reads the exit code, the sizes and the transcript', () => {
    expect(answer('3\n12\n0 200 50\n\n--\n')).toEqual({
      exitCode: 3,
      transcript: Buffer.from('answer: hi\r\n'),
      skipped: 0,
      sizes: [{ offset: 0, cols: 200, rows: 50 }],
    });
  });

  it('takes "-" as a stop, and counts what the tail left out', () => {
    const end = answer('-\n1012\n0 80 24\n900 100 30\n\n--\n');
    expect(end?.exitCode).toBeNull();
    expect(end?.skipped).toBe(1000);
    // The size in force where the tail begins comes first.
    expect(end?.sizes).toEqual([{ offset: 0, cols: 100, rows: 30 }]);
  });

  it('keeps the bytes after the separator as they are, a line of dashes among them', () => {
    expect(answer('0\n9\n\n--\n', 'a\n--\nb\r\n')?.transcript.toString()).toBe('a\n--\nb\r\n');
  });

  it('takes an exit code the agent could have forged into nonsense as a stop, and bounds sizes', () => {
    expect(answer('99999\n0\n\n--\n')?.exitCode).toBeNull();
    expect(answer('x1\n0\n\n--\n')?.exitCode).toBeNull();
    expect(answer('0\n0\n0 999999 999999\n--\n')?.sizes).toEqual([{ offset: 0, cols: 1000, rows: 500 }]);
  });

  it('is whole once as many bytes came as the length says, however they were cut', () => {
    const reader = new SessionEndReader(1 << 20);
    const output = Buffer.from('0\n12\n0 200 50\n\n--\nanswer: hi\r\n');
    for (let at = 0; at < output.length - 1; at++)
      expect(reader.push(output.subarray(at, at + 1))).toBe(false);
    expect(reader.push(output.subarray(-1))).toBe(true);
    expect(reader.result()?.transcript.toString()).toBe('answer: hi\r\n');
    // An empty transcript is whole with the separator; a long one with its last maxBytes.
    expect(new SessionEndReader(100).push(Buffer.from('-\n0\n\n--\n'))).toBe(true);
    const tail = new SessionEndReader(4);
    expect(tail.push(Buffer.from('0\n1000\n\n--\nabc'))).toBe(false);
    expect(tail.push(Buffer.from('d'))).toBe(true);
    expect(tail.result()?.skipped).toBe(996);
  });

  it('gives nothing for an answer cut off before the transcript', () => {
    expect(parseSessionEnd(Buffer.from(''))).toBeUndefined();
    expect(parseSessionEnd(Buffer.from('0\n12\n0 200 50\n'))).toBeUndefined();
  });
});

describe("a headless run's pane size", () => {
  it("is the terminal's when stdout is one", () => {
    expect(paneSize({ isTTY: true, columns: 90, rows: 20 }, { COLUMNS: '300' })).toEqual({
      cols: 90,
      rows: 20,
    });
  });

  it('is COLUMNS and LINES without a terminal, else 200x50', () => {
    expect(paneSize({}, {})).toEqual({ cols: 200, rows: 50 });
    expect(paneSize({ isTTY: false }, { COLUMNS: '132', LINES: '43' })).toEqual({ cols: 132, rows: 43 });
  });

  it('keeps a size from the environment to what makes sense', () => {
    expect(paneSize({}, { COLUMNS: '5', LINES: 'many' })).toEqual({ cols: 200, rows: 50 });
    expect(paneSize({}, { COLUMNS: '100000', LINES: '100000' })).toEqual({ cols: 1000, rows: 500 });
  });
});
