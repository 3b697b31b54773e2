import { describe, expect, it } from 'vitest';
import { demultiplex, engineTimestamp } from '../../src/docker/engine-http.js';
import { demultiplexer } from '../../src/docker/exec-process.js';

/** One frame of Docker's multiplexed stream: [stream, 0, 0, 0, size (uint32 BE)] then the payload. */
function frame(stream: 0 | 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('demultiplex', () => {
  it('splits interleaved stdout and stderr frames, keeping the order within each', () => {
    const buffer = Buffer.concat([
      frame(1, 'out 1\n'),
      frame(2, 'err 1\n'),
      frame(1, 'out 2\n'),
      frame(2, 'err 2\n'),
    ]);
    expect(demultiplex(buffer)).toEqual({ stdout: 'out 1\nout 2\n', stderr: 'err 1\nerr 2\n' });
  });

  it('reads the 4-byte big-endian size, not only its last byte', () => {
    const big = 'x'.repeat(70_000);
    const result = demultiplex(Buffer.concat([frame(1, big), frame(2, 'tail')]));
    expect(result.stdout).toBe(big);
    expect(result.stderr).toBe('tail');
  });

  it('handles empty frames and an empty buffer', () => {
    expect(demultiplex(Buffer.alloc(0))).toEqual({ stdout: '', stderr: '' });
    expect(demultiplex(Buffer.concat([frame(1, ''), frame(2, 'e'), frame(1, '')]))).toEqual({
      stdout: '',
      stderr: 'e',
    });
  });

  it('joins a UTF-8 character split across two frames', () => {
    const bytes = Buffer.from('é', 'utf8');
    const result = demultiplex(Buffer.concat([frame(1, bytes.subarray(0, 1)), frame(1, bytes.subarray(1))]));
    expect(result.stdout).toBe('é');
  });

  it('ignores a trailing partial header', () => {
    const buffer = Buffer.concat([frame(1, 'done'), Buffer.from([2, 0, 0])]);
    expect(demultiplex(buffer)).toEqual({ stdout: 'done', stderr: '' });
  });
});

describe('demultiplexer (a stream as it arrives)', () => {
  it('hands on the same bytes whatever the reads cut, headers included, with no empty piece', () => {
    const whole = Buffer.concat([
      frame(1, 'x'.repeat(40_000)),
      frame(2, 'err'),
      frame(1, ''),
      frame(1, 'end'),
    ]);
    for (const step of [1, 7, 8, 9, 4096, 65_536]) {
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      const read = demultiplexer((stream, data) => {
        expect(data.length).toBeGreaterThan(0);
        got[stream].push(data);
      });
      for (let at = 0; at < whole.length; at += step) read(whole.subarray(at, at + step));
      expect(Buffer.concat(got.stdout).toString(), `reads of ${step}`).toBe('x'.repeat(40_000) + 'end');
      expect(Buffer.concat(got.stderr).toString(), `reads of ${step}`).toBe('err');
    }
  });

  it('keeps a header cut across reads when every read lands in the same buffer (lent reads)', () => {
    const whole = Buffer.concat([frame(1, 'a'.repeat(20)), frame(2, 'bc'), frame(1, 'd'.repeat(30))]);
    for (const joinInPlace of [false, true]) {
      for (const step of [3, 5, 7, 11, 40]) {
        const lent = Buffer.alloc(step);
        const got = { stdout: '', stderr: '' };
        // The consumer takes each piece before returning, as a lending exec's consumer must.
        const read = demultiplexer((stream, data) => (got[stream] += data.toString()), joinInPlace);
        for (let at = 0; at < whole.length; at += step) {
          const size = whole.copy(lent, 0, at, at + step);
          read(lent.subarray(0, size));
          lent.fill(0xff);
        }
        expect(got, `reads of ${step}`).toEqual({ stdout: 'a'.repeat(20) + 'd'.repeat(30), stderr: 'bc' });
      }
    }
  });
});

describe('demultiplexer joining in place (reads that are its own)', () => {
  const lines = [frame(1, 'ab'), frame(1, 'cd'), frame(2, 'e'), frame(1, ''), frame(1, 'f'), frame(1, 'gh')];

  it('hands on one piece for each run of one stream in a read, in order, and never writes over one', () => {
    const pieces: Array<[string, Buffer]> = [];
    demultiplexer((stream, data) => pieces.push([stream, data]), true)(Buffer.concat(lines));
    // Read after the whole read was taken: a piece handed on early is still what it was.
    expect(pieces.map(([stream, data]) => [stream, data.toString()])).toEqual([
      ['stdout', 'abcd'],
      ['stderr', 'e'],
      ['stdout', 'fgh'],
    ]);
  });

  it('hands on the same bytes whatever the reads cut, a piece at most for each stream change', () => {
    const whole = Buffer.concat([frame(1, 'x'.repeat(40_000)), ...lines, frame(2, 'z'.repeat(9_000))]);
    for (const step of [1, 7, 8, 9, 4096, 65_536, whole.length]) {
      const got = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
      let reads = 0;
      let pieces = 0;
      const read = demultiplexer((stream, data) => {
        expect(data.length).toBeGreaterThan(0);
        got[stream].push(data);
        pieces++;
      }, true);
      for (let at = 0; at < whole.length; at += step) {
        read(Buffer.from(whole.subarray(at, at + step)));
        reads++;
      }
      expect(Buffer.concat(got.stdout).toString(), `reads of ${step}`).toBe('x'.repeat(40_000) + 'abcdfgh');
      expect(Buffer.concat(got.stderr).toString(), `reads of ${step}`).toBe('e' + 'z'.repeat(9_000));
      // Four runs of one stream: each read adds at most the runs it holds a part of.
      expect(pieces, `reads of ${step}`).toBeLessThanOrEqual(reads + 3);
    }
  });
});

describe('times for the Engine', () => {
  it('keeps the nanoseconds the Engine reports, so a log read since a start leaves out the second before it', () => {
    expect(engineTimestamp('2026-11-23T11:31:58.123456789Z')).toBe('1795433518.123456789');
    expect(engineTimestamp('2026-11-23T11:31:58.5Z')).toBe('1795433518.500000000');
    expect(engineTimestamp('2026-11-23T11:31:58Z')).toBe('1795433518.000000000');
    expect(engineTimestamp('2026-11-23T12:31:58.25+01:00')).toBe('1795433518.250000000');
  });
});
