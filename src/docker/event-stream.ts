import { StringDecoder } from 'node:string_decoder';
import type { EngineEvent } from './engine.js';
import type { EngineTransport } from './engine-transport.js';

/** Splits a stream of newline-separated JSON values, whatever the read boundaries. */
export class JsonLines<T> {
  private text = '';
  private readonly utf8 = new StringDecoder('utf8');

  constructor(private readonly onValue: (value: T) => void) {}

  push(data: Buffer): void {
    this.text += this.utf8.write(data);
    let end: number;
    while ((end = this.text.indexOf('\n')) >= 0) {
      const line = this.text.slice(0, end).trim();
      this.text = this.text.slice(end + 1);
      if (line) this.onValue(JSON.parse(line) as T);
    }
  }
}

/**
 * Follows `GET /events` with the given filters until closed. `onEnd` is called once, with the
 * reason when the stream broke rather than being closed by us.
 */
export function followEvents(
  transport: EngineTransport,
  filters: Record<string, string[]>,
  onEvent: (event: EngineEvent) => void,
  onEnd: (error?: Error) => void,
): { close: () => void } {
  const path = `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`;
  const lines = new JsonLines<EngineEvent>(onEvent);
  return transport.stream(
    path,
    (data) => lines.push(data),
    (error) => onEnd(error ?? new Error('the Docker Engine closed its event stream')),
  );
}
