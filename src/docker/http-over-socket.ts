import { connect, type Socket } from 'node:net';
import { connectionError, type DockerEndpoint } from './endpoint.js';

/**
 * A minimal HTTP/1.1 client for the Engine API, on node:net. node:http costs about 55 ms to load
 * on a small machine, more than everything else a short command does; the Engine speaks plain
 * HTTP/1.1, so one request per connection with `Connection: close` is all we need. Upgrade
 * (hijack) is supported for interactive exec.
 */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

function open(target: DockerEndpoint): Socket {
  return target.kind === 'socket' ? connect(target.path) : connect(target.port, target.host);
}

function requestHead(method: string, path: string, payload: Buffer | undefined, extra: string[]): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: docker', ...extra];
  if (payload) lines.push('Content-Type: application/json');
  lines.push(`Content-Length: ${payload?.length ?? 0}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

function splitHead(
  buffer: Buffer,
): { statusCode: number; headers: Record<string, string>; rest: Buffer } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...headerLines] = buffer.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { statusCode: Number(statusLine.split(' ')[1]), headers, rest: buffer.subarray(end + 4) };
}

export function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function httpRequest(
  target: DockerEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResponse> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const socket = open(target);
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(requestHead(method, path, payload, ['Connection: close']));
      if (payload) socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => reject(connectionError(target, error.code)));
    socket.on('end', () => {
      const head = splitHead(Buffer.concat(chunks));
      if (!head) return reject(connectionError(target, 'EPROTO'));
      const chunked = head.headers['transfer-encoding']?.includes('chunked');
      resolve({
        statusCode: head.statusCode,
        headers: head.headers,
        body: chunked ? decodeChunked(head.rest) : head.rest,
      });
    });
  });
}

/**
 * Sends a request that asks to take over the connection (exec start). On 101 the socket is
 * handed back raw, with any bytes that arrived after the headers; otherwise the response.
 */
export function httpUpgrade(
  target: DockerEndpoint,
  method: string,
  path: string,
  body: unknown,
): Promise<{ socket: Socket; head: Buffer } | HttpResponse> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const socket = open(target);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const head = splitHead(received);
      if (!head) return;
      socket.off('data', onData);
      if (head.statusCode === 101) {
        socket.off('error', onError);
        resolve({ socket, head: head.rest });
        return;
      }
      // An error answer on a connection the server may keep open: read exactly its body.
      let rest = head.rest;
      const length = Number(head.headers['content-length'] ?? NaN);
      const finish = () => {
        socket.destroy();
        const chunked = head.headers['transfer-encoding']?.includes('chunked');
        resolve({
          statusCode: head.statusCode,
          headers: head.headers,
          body: chunked ? decodeChunked(rest) : rest,
        });
      };
      const complete = () => (Number.isFinite(length) ? rest.length >= length : rest.includes('0\r\n\r\n'));
      if (complete()) return finish();
      socket.on('data', (more: Buffer) => {
        rest = Buffer.concat([rest, more]);
        if (complete()) finish();
      });
      socket.on('end', finish);
    };
    const onError = (error: NodeJS.ErrnoException) => reject(connectionError(target, error.code));
    socket.on('connect', () => {
      socket.write(requestHead(method, path, payload, ['Connection: Upgrade', 'Upgrade: tcp']));
      socket.write(payload);
    });
    socket.on('data', onData);
    socket.on('error', onError);
  });
}
