import { describe, expect, it } from 'vitest';
import { paneSize } from '../../src/cli/commands/run.js';
import { parseSessionEnd } from '../../src/session/wait-session.js';

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
