import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, JsonLines } from '../../src/docker/event-stream.js';

/** Chunked encoding of each part, as the Engine sends events. */
const chunked = (...parts: string[]) =>
  parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('');

describe('the event stream decoder', () => {
  it('yields every event whole, wherever the reads split the bytes', () => {
    const events = [
      { Type: 'container', Action: 'start', Actor: { ID: 'a', Attributes: { name: 'ü-one' } } },
      { Type: 'volume', Action: 'destroy', Actor: { ID: 'v' } },
      { Type: 'container', Action: 'die', Actor: { ID: 'b' } },
    ];
    // Two events in one chunk, one alone; then cut the wire bytes at every position.
    const wire = Buffer.from(
      chunked(
        `${JSON.stringify(events[0])}\n${JSON.stringify(events[1])}\n`,
        `${JSON.stringify(events[2])}\n`,
      ),
    );
    for (let cut = 1; cut < wire.length; cut += 3) {
      const seen: unknown[] = [];
      const decoder = new ChunkedDecoder((data) => lines.push(data));
      const lines = new JsonLines((value) => seen.push(value));
      for (let at = 0; at < wire.length; at += cut) decoder.push(wire.subarray(at, at + cut));
      expect(seen, `reads of ${cut} bytes`).toEqual(events);
    }
  });

  it('notices the end of the body and a malformed size line', () => {
    const decoder = new ChunkedDecoder(() => undefined);
    decoder.push(Buffer.from('0\r\n\r\n'));
    expect(decoder.ended).toBe(true);
    expect(() => new ChunkedDecoder(() => undefined).push(Buffer.from('zz\r\n'))).toThrow('malformed chunk');
  });
});
