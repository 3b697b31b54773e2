import type * as Http from 'node:http';
import type { AgentOptions, ClientRequest, ClientRequestArgs, IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { connect as connectNet, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DockerUnavailableError, EngineError } from '../errors.js';
import { connectionError, TIMED_OUT, WANTS_TLS } from './connection-error.js';
import type { DockerEndpoint } from './endpoint.js';
import { openEngineConnection, type TlsReuse } from './engine-connection.js';

/**
 * HTTP to the Engine over node:http, on whatever connection the endpoint needs (a unix socket,
 * TCP, TLS, an ssh child's stdio): node:http parses, an Agent of ours makes the connections.
 * Remote connections are kept alive between requests (an ssh login or a TLS handshake per request
 * would dominate every call); local ones are not, as before.
 */
/**
 * node:http is loaded on the first request, and with require, not imported: an ES import of it
 * builds its named exports by reading every property, and its lazy WebSocket ones load Node's
 * whole fetch client (about 60 ms here, against about 2 ms for require; bench/engine-transport.mjs
 * measures both). Commands that never reach the Engine do not load it at all.
 */
let http: typeof Http | undefined;
function loadHttp(): typeof Http {
  http ??= createRequire(import.meta.url)('node:http') as typeof Http;
  return http;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Reads of an upgraded connection into one buffer instead of a new one each (Node's usual way),
 * for a stream of many megabytes: at some 128 MB a second the usual way's allocations cost the
 * process more in garbage collection than the copying (bench/bridge.mjs). Once the connection is
 * upgraded, `take` gets each read's bytes, which are valid only until it returns; the
 * connection's `pause()` meanwhile stops the next read until its `resume()`.
 */
export interface LentReads {
  buffer: Buffer;
  take?: (bytes: Buffer) => void;
}

/** A connection the Engine handed over (exec start): raw bytes both ways. */
export type UpgradedConnection = Duplex & { setNoDelay?: (noDelay?: boolean) => unknown };

export interface TransportTimeouts {
  /** To open a connection (TLS: through the handshake; ssh: its ConnectTimeout). */
  connectMs: number;
  /** For a whole answer to a plain request, or to the head of a stream's. */
  requestMs: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = { connectMs: 10_000, requestMs: 60_000 };

/** An Agent whose connections are ours: node:http pools them and speaks HTTP over them. */
function engineAgent(open: () => Promise<Duplex>, options: AgentOptions): Http.Agent {
  class EngineAgent extends loadHttp().Agent {
    override createConnection(
      _options: ClientRequestArgs,
      callback?: (error: Error | null, stream: Duplex) => void,
    ): undefined {
      open().then(
        (connection) => callback?.(null, connection),
        (error: Error) => callback?.(error, undefined as unknown as Duplex),
      );
      return undefined;
    }
  }
  return new EngineAgent(options);
}

export class EngineTransport {
  private pool: Http.Agent | undefined;
  private readonly tlsReuse: TlsReuse = {};
  private readonly hostHeader: string;

  constructor(
    readonly endpoint: DockerEndpoint,
    private readonly env: NodeJS.ProcessEnv,
    readonly timeouts: TransportTimeouts = DEFAULT_TIMEOUTS,
  ) {
    this.hostHeader =
      endpoint.kind === 'tcp'
        ? `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`
        : 'docker';
  }

  /** The connections to the Engine; also given to dockerode for the image build, so that it goes the same way. */
  get agent(): Http.Agent {
    const { endpoint, env, timeouts } = this;
    const reuse = this.tlsReuse;
    this.pool ??= engineAgent(() => openEngineConnection(endpoint, env, timeouts.connectMs, reuse), {
      keepAlive: endpoint.kind !== 'socket',
      maxFreeSockets: 4,
    });
    return this.pool;
  }

  /**
   * A request whose whole answer is read; a connection kept alive that the Engine closed meanwhile
   * is retried once. A body is sent as JSON, a Buffer as it is (a tar archive).
   */
  async request(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<HttpResponse> {
    const raw = Buffer.isBuffer(body);
    const payload = body === undefined ? undefined : raw ? body : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = raw ? { 'Content-Type': 'application/x-tar' } : {};
    try {
      return await this.requestOnce(method, path, payload, headers, timeoutMs ?? this.timeouts.requestMs);
    } catch (error) {
      if (!(error instanceof StaleConnection)) throw error;
      return this.requestOnce(method, path, payload, headers, timeoutMs ?? this.timeouts.requestMs);
    }
  }

  private requestOnce(
    method: string,
    path: string,
    payload: Buffer | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const req = this.send(method, path, payload, headers);
      const timer = setTimeout(() => req.destroy(timedOut()), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(this.failure(error, timeoutMs, req));
      };
      req.on('error', fail);
      req.on('response', (res) => {
        readBody(res).then((response) => {
          clearTimeout(timer);
          if (wantsTls(response)) reject(connectionError(this.endpoint, WANTS_TLS));
          else resolve(response);
        }, fail);
      });
    });
  }

  /**
   * A request that asks to take the connection over (exec start). On 101 the connection is
   * handed back raw, with any bytes that came after the head; otherwise the answer.
   */
  upgrade(
    method: string,
    path: string,
    body: unknown,
    lend?: LentReads,
  ): Promise<{ socket: UpgradedConnection; head: Buffer } | HttpResponse> {
    const timeoutMs = this.timeouts.requestMs;
    return new Promise((resolve, reject) => {
      const req = this.send(
        method,
        path,
        Buffer.from(JSON.stringify(body)),
        { Connection: 'Upgrade', Upgrade: 'tcp' },
        lend && this.lendingConnection(lend),
      );
      const timer = setTimeout(() => req.destroy(timedOut()), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(this.failure(error, timeoutMs));
      };
      req.on('error', fail);
      req.on('upgrade', (_res: IncomingMessage, socket: Duplex, head: Buffer) => {
        clearTimeout(timer);
        resolve({ socket, head });
      });
      req.on('response', (res) => {
        readBody(res).then((response) => {
          clearTimeout(timer);
          resolve(response);
        }, fail);
      });
    });
  }

  /**
   * A GET whose answer streams until either side ends it (events). `onEnd` hears once why it
   * ended (nothing: the Engine ended it); `close()` ends it quietly.
   */
  stream(
    path: string,
    onData: (chunk: Buffer) => void,
    onEnd: (error?: Error) => void,
  ): { close: () => void } {
    let done = false;
    const timeoutMs = this.timeouts.requestMs;
    const req = this.send('GET', path, undefined, {});
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      onEnd(error);
    };
    const timer = setTimeout(() => finish(connectionError(this.endpoint, TIMED_OUT, timeoutMs)), timeoutMs);
    req.on('error', (error) => finish(this.failure(error, timeoutMs)));
    req.on('response', (res) => {
      clearTimeout(timer);
      if (res.statusCode !== 200) {
        readBody(res).then(
          (response) => finish(refusal(response)),
          (error: Error) => finish(this.failure(error, timeoutMs)),
        );
        return;
      }
      res.on('data', (chunk: Buffer) => {
        try {
          onData(chunk);
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', (error) => finish(this.failure(error, timeoutMs)));
      res.on('close', () => finish());
    });
    return {
      close: () => {
        done = true;
        clearTimeout(timer);
        req.destroy();
      },
    };
  }

  /**
   * A connection of its own for one upgrade, reading into `lend`'s buffer (plain sockets only:
   * TLS and ssh connections read as usual). Until the upgrade its bytes go to node:http as copies.
   */
  private lendingConnection(lend: LentReads): Http.RequestOptions['createConnection'] {
    const { endpoint } = this;
    const where =
      endpoint.kind === 'socket'
        ? { path: endpoint.path }
        : endpoint.kind === 'tcp' && !endpoint.tls
          ? { host: endpoint.host, port: endpoint.port }
          : undefined;
    if (!where) return undefined;
    return () =>
      connectNet({
        ...where,
        onread: {
          buffer: lend.buffer,
          callback(this: Socket, size: number, buffer: Uint8Array) {
            const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, size);
            if (lend.take) lend.take(bytes);
            else this.emit('data', Buffer.from(bytes));
            return true;
          },
        },
      });
  }

  private send(
    method: string,
    path: string,
    payload: Buffer | undefined,
    headers: Record<string, string>,
    createConnection?: Http.RequestOptions['createConnection'],
  ): ClientRequest {
    const options: Http.RequestOptions & { servername: string } = {
      ...(createConnection ? { createConnection } : { agent: this.agent }),
      method,
      path,
      // No TLS name for node:http to work out from the Host header: our own connection does TLS,
      // and working it out compiles Node's IPv6 pattern, some 10 ms of every command's start.
      servername: '',
      headers: {
        Host: this.hostHeader,
        ...(payload ? { 'Content-Type': 'application/json' } : {}),
        'Content-Length': String(payload?.length ?? 0),
        ...headers,
      },
    };
    const req = loadHttp().request(options);
    req.end(payload);
    return req;
  }

  private failure(error: Error, timeoutMs: number, req?: ClientRequest): Error {
    if (error instanceof DockerUnavailableError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    // A kept-alive connection the Engine closed just as we reused it: the request never got there.
    if (req?.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE')) return new StaleConnection();
    return connectionError(this.endpoint, code, timeoutMs);
  }
}

class StaleConnection extends Error {}

function timedOut(): Error {
  return Object.assign(new Error('timed out'), { code: TIMED_OUT });
}

function readBody(res: IncomingMessage): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers))
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      resolve({ statusCode: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
    });
  });
}

/** Plain HTTP reached an Engine that serves TLS: Go's server answers 400 and says so. */
function wantsTls(response: HttpResponse): boolean {
  return response.statusCode === 400 && response.body.toString('utf8').includes('HTTPS server');
}

/** The Engine's refusal as an error carrying its own words. */
export function refusal(response: HttpResponse): EngineError {
  let message = response.body.toString('utf8').trim();
  try {
    message = (JSON.parse(message) as { message?: string }).message ?? message;
  } catch {
    // Plain text answer.
  }
  return new EngineError(response.statusCode, message || `HTTP ${response.statusCode}`);
}
