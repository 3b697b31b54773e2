import { FRAME, type Frame } from './frames.js';

/** What a client asks for: all it can say. */
export interface BridgeRequest {
  command: string;
  args: string[];
  /** NAME → value, as the client has them; only the command's allowlisted names are used. */
  env: Record<string, string>;
  /** The caller's folder below the workspace ("" at its top), when it is inside it. */
  cwd: string | undefined;
  tty: { rows: number; cols: number; term: string } | undefined;
}

/** Limits on a request, well above any real command line (Linux allows 2 MiB of arguments). */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const MAX_ARGS = 65_536;
const MAX_ENV = 256;

export class RequestError extends Error {}

/**
 * Gathers the request's frames until `go`. Returns the request once complete, undefined while
 * more is to come; throws on anything outside the request's few frame types or past a limit.
 */
export function requestCollector(): (frame: Frame) => BridgeRequest | undefined {
  let command: string | undefined;
  const args: string[] = [];
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  let cwd: string | undefined;
  let tty: BridgeRequest['tty'];
  let bytes = 0;
  return ({ type, payload }) => {
    bytes += payload.length;
    if (bytes > MAX_REQUEST_BYTES) throw new RequestError('the request is too large');
    const text = () => decodeText(payload);
    switch (type) {
      case FRAME.command:
        if (command !== undefined) throw new RequestError('a second command name');
        command = text();
        return undefined;
      case FRAME.arg:
        if (args.length >= MAX_ARGS) throw new RequestError('too many arguments');
        args.push(text());
        return undefined;
      case FRAME.env: {
        const entry = text();
        const equals = entry.indexOf('=');
        if (equals <= 0) throw new RequestError('an environment entry without NAME=');
        if (Object.keys(env).length >= MAX_ENV) throw new RequestError('too many environment entries');
        env[entry.slice(0, equals)] = entry.slice(equals + 1);
        return undefined;
      }
      case FRAME.cwd:
        cwd = text();
        return undefined;
      case FRAME.tty:
        tty = parseTty(text());
        return undefined;
      case FRAME.go:
        if (command === undefined) throw new RequestError('no command name');
        return { command, args, env: { ...env }, cwd, tty };
      default:
        throw new RequestError(`a frame of type ${type} in the request`);
    }
  };
}

/** Text as sent; NUL cannot be in an argument or a name, so a frame holding one is refused. */
function decodeText(payload: Buffer): string {
  if (payload.includes(0)) throw new RequestError('a NUL byte in the request');
  return payload.toString('utf8');
}

export function parseSize(text: string): { rows: number; cols: number } | undefined {
  const match = /^(\d{1,4}) (\d{1,4})$/.exec(text);
  if (!match) return undefined;
  const rows = Number(match[1]);
  const cols = Number(match[2]);
  return rows > 0 && cols > 0 ? { rows, cols } : undefined;
}

function parseTty(text: string): BridgeRequest['tty'] {
  const [rows = '', cols = '', term = ''] = text.split(' ');
  const size = parseSize(`${rows} ${cols}`);
  if (!size) throw new RequestError('a terminal size that is not "rows cols"');
  // The terminal's type only, never a way to smuggle other text into the environment.
  return { ...size, term: /^[A-Za-z0-9._+-]{1,64}$/.test(term) ? term : 'xterm' };
}
