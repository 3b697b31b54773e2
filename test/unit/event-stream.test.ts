import { describe, expect, it } from 'vitest';
import { JsonLines } from '../../src/docker/event-stream.js';

describe('the event stream decoder', () => {
  it('yields every event whole, wherever the reads split the bytes', () => {
    const events = [
      { Type: 'container', Action: 'start', Actor: { ID: 'a', Attributes: { name: 'ü-one' } } },
      { Type: 'volume', Action: 'destroy', Actor: { ID: 'v' } },
      { Type: 'container', Action: 'die', Actor: { ID: 'b' } },
    ];
    // node:http hands on the body without its chunk framing, in reads split anywhere (even
    // inside a character): cut it at every position.
    const wire = Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    for (let cut = 1; cut < wire.length; cut += 3) {
      const seen: unknown[] = [];
      const lines = new JsonLines((value) => seen.push(value));
      for (let at = 0; at < wire.length; at += cut) lines.push(wire.subarray(at, at + cut));
      expect(seen, `reads of ${cut} bytes`).toEqual(events);
    }
  });
});
