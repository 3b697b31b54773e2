import { connect, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { connectionError, type DockerEndpoint } from './endpoint.js';
import type { EngineEvent } from './engine.js';

/**
 * Decodes an HTTP chunked body as it arrives, in reads split anywhere (even inside a size line),
 * and hands on the data of each complete chunk.
 */
export class ChunkedDecoder {
  private pending: Buffer = Buffer.alloc(0);
  ended = false;

  constructor(private readonly onData: (data: Buffer) => void) {}

  push(bytes: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes;
    for (;;) {
      const lineEnd = this.pending.indexOf('\r\n');
      if (lineEnd < 0) return;
      const size = parseInt(this.pending.subarray(0, lineEnd).toString('latin1'), 16);
      if (Number.isNaN(size)) throw new Error('the Engine sent a malformed chunk');
      if (size === 0) {
        this.ended = true;
        return;
      }
      const end = lineEnd + 2 + size;
      if (this.pending.length < end + 2) return;
      this.onData(this.pending.subarray(lineEnd + 2, end));
      this.pending = this.pending.subarray(end + 2);
    }
  }
}

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
  target: DockerEndpoint,
  filters: Record<string, string[]>,
  onEvent: (event: EngineEvent) => void,
  onEnd: (error?: Error) => void,
): { close: () => void } {
  const path = `/events?filters=${encodeURIComponent(JSON.stringify(filters))}`;
  const socket: Socket = target.kind === 'socket' ? connect(target.path) : connect(target.port, target.host);
  let closedByUs = false;
  let ended = false;
  const finish = (error?: Error) => {
    if (ended) return;
    ended = true;
    socket.destroy();
    if (!closedByUs) onEnd(error ?? new Error('the Docker Engine closed its event stream'));
  };
  const lines = new JsonLines<EngineEvent>(onEvent);
  const body = new ChunkedDecoder((data) => lines.push(data));
  let head = Buffer.alloc(0);
  let headDone = false;
  socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: docker\r\n\r\n`));
  socket.on('data', (chunk: Buffer) => {
    try {
      if (headDone) return body.push(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = Number(head.subarray(0, end).toString('latin1').split(' ')[1]);
      if (status !== 200)
        return finish(new Error(`the Docker Engine refused its event stream (HTTP ${status})`));
      headDone = true;
      body.push(head.subarray(end + 4));
    } catch (error) {
      finish(error instanceof Error ? error : new Error(String(error)));
    }
  });
  socket.on('error', (error: NodeJS.ErrnoException) => finish(connectionError(target, error.code)));
  socket.on('close', () => finish());
  return {
    close: () => {
      closedByUs = true;
      finish();
    },
  };
}
