import { Writable } from 'node:stream';
import {
  refusal as refused,
  type EngineTransport,
  type LentReads,
  type UpgradedConnection,
} from './engine-transport.js';

/**
 * A command in a container, as one two-way stream and an exit code: the exec is created, its
 * start request takes over the connection (no docker CLI process), and bytes flow both ways until
 * the command ends. Every kind of exec (collected output, a terminal, a long watch, a bundle
 * streamed in or out) is this one call with different handling of the two ends.
 */
export interface ExecRequest {
  container: string;
  command: readonly string[];
  user?: string;
  workingDir?: string;
  env?: readonly string[];
  /** A terminal of this size; its output then arrives as one stream (stdout). */
  tty?: { rows: number; cols: number };
  /** False: the command's stdin is empty. Default: ours to write until `end()`. */
  stdin?: boolean;
  /**
   * With a terminal, the Engine watches input for a detach sequence (Ctrl+P Ctrl+Q unless told
   * another) and holds back a key that may start one: name one our side never sends.
   */
  detachKeys?: string;
  /**
   * Output in bulk (a bridged `cat` of a large file): the connection reads into one buffer of
   * its own, and each piece handed to onOutput is valid only until it returns. A consumer that
   * cannot take a piece at once copies it, or pauses the process before returning and resumes it
   * once the piece is gone.
   */
  lendOutput?: boolean;
}

export type ExecOutput = (stream: 'stdout' | 'stderr', data: Buffer) => void;

export interface ExecProcess {
  /** The command's stdin (ending it half-closes the connection; output keeps coming). */
  readonly stdin: Writable;
  resize(size: { rows: number; cols: number }): void;
  /** Stops and restarts reading output (backpressure from a slow reader). */
  pause(): void;
  resume(): void;
  /** Settles when the connection is gone: the command's exit code, or null if it still runs. */
  readonly exit: Promise<number | null>;
  /** Cuts the connection from our side. */
  close(): void;
}

/**
 * The one buffer a lending exec reads into: three of the Engine's largest frames (32 KiB and a
 * header). Small enough that two reads fit in a local socket's default send buffer (208 KiB), so
 * a bridge caller's socket takes a read whole while it still drains the one before: the relay
 * reads on, instead of pausing until the caller catches up.
 */
const LENT_BUFFER_BYTES = 3 * (32 * 1024 + 8);

export async function startExecProcess(
  transport: EngineTransport,
  request: ExecRequest,
  onOutput: ExecOutput,
): Promise<ExecProcess> {
  const { tty } = request;
  const created = await transport.request(
    'POST',
    `/containers/${encodeURIComponent(request.container)}/exec`,
    {
      AttachStdin: request.stdin ?? true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: Boolean(tty),
      // Engines with API 1.42+ size the terminal from the start.
      ...(tty ? { ConsoleSize: [tty.rows, tty.cols] } : {}),
      ...(request.detachKeys ? { DetachKeys: request.detachKeys } : {}),
      Cmd: request.command,
      User: request.user ?? '',
      WorkingDir: request.workingDir ?? '',
      Env: request.env ?? [],
    },
  );
  if (created.statusCode !== 201) throw refused(created);
  const { Id: id } = JSON.parse(created.body.toString('utf8')) as { Id: string };
  const lend: LentReads | undefined = request.lendOutput
    ? { buffer: Buffer.allocUnsafe(LENT_BUFFER_BYTES) }
    : undefined;
  const started = await transport.upgrade(
    'POST',
    `/exec/${id}/start`,
    { Detach: false, Tty: Boolean(tty) },
    lend,
  );
  if (!('socket' in started)) throw refused(started);
  const { socket, head } = started;
  // Keystrokes are a few bytes each: send each at once (this matters over TCP only).
  if (tty) socket.setNoDelay?.(true);
  // The reads are this connection's own (lent or fresh): the demultiplexer may join frames in them.
  const read = tty ? (chunk: Buffer) => onOutput('stdout', chunk) : demultiplexer(onOutput, true);
  if (head.length) read(head);
  // pause() during a read stops the next one (node:net does so for a connection that lends).
  if (lend) lend.take = read;
  // A connection that could not lend its reads (TLS, ssh) hands over Buffers of its own.
  socket.on('data', read);
  socket.on('error', () => socket.destroy());
  // node:http hands the connection over as it left it, which may be paused.
  socket.resume();
  const exit = new Promise<number | null>((resolve) => {
    socket.on('close', () => {
      transport.request('GET', `/exec/${id}/json`).then(
        (inspect) =>
          resolve((JSON.parse(inspect.body.toString('utf8')) as { ExitCode: number | null }).ExitCode),
        () => resolve(null),
      );
    });
  });
  return {
    stdin: socketInput(socket),
    resize: ({ rows, cols }) => {
      void transport.request('POST', `/exec/${id}/resize?h=${rows}&w=${cols}`).catch(() => undefined);
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    exit,
    close: () => socket.destroy(),
  };
}

/** The connection's writing half as a stream of its own: ending it half-closes the connection. */
function socketInput(socket: UpgradedConnection): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (socket.destroyed) return callback();
      socket.write(chunk, () => callback());
    },
    final(callback) {
      if (!socket.destroyed) socket.end();
      callback();
    },
  });
}

/**
 * Splits Docker's multiplexed stdout/stderr stream (8-byte frame headers) as it arrives. A frame's
 * bytes are handed on as they come, in as many pieces as the reads cut them into, so nothing is
 * copied to join frames across reads (a bridged `cat` of a large file is mostly this); only a
 * header that straddles two reads is joined. The one place that knows the framing.
 *
 * `joinInPlace`: the reads are the caller's to change. The frames of one stream that came in one
 * read are handed on as one piece, their bytes moved over the headers between them in the read's
 * own buffer (a piece already handed on is never written over). The Engine cuts output into
 * frames of 4 to 32 KiB; this makes it a piece a read, so a bridged `cat` costs one write a read
 * on each side of the relay instead of one a frame.
 */
export function demultiplexer(onFrame: ExecOutput, joinInPlace = false): (chunk: Buffer) => void {
  let header: Buffer = Buffer.alloc(0);
  let stream: 'stdout' | 'stderr' = 'stdout';
  let remaining = 0;
  return (chunk) => {
    let at = 0;
    // The piece being gathered: chunk[joinedFrom, joinedTo) of stream `joinedStream`.
    let joinedFrom = 0;
    let joinedTo = 0;
    let joinedStream = stream;
    const handOn = () => {
      if (joinedTo > joinedFrom) onFrame(joinedStream, chunk.subarray(joinedFrom, joinedTo));
      joinedFrom = joinedTo;
    };
    while (at < chunk.length) {
      if (remaining > 0) {
        const size = Math.min(remaining, chunk.length - at);
        if (!joinInPlace) onFrame(stream, chunk.subarray(at, at + size));
        else {
          if (stream !== joinedStream) {
            handOn();
            joinedStream = stream;
          }
          if (joinedTo !== at) chunk.copyWithin(joinedTo, at, at + size);
          joinedTo += size;
        }
        at += size;
        remaining -= size;
        continue;
      }
      const needed = 8 - header.length;
      header = header.length
        ? Buffer.concat([header, chunk.subarray(at, at + needed)])
        : chunk.subarray(at, at + 8);
      at += Math.min(needed, chunk.length - at);
      // Part of a header waits for the next read: a copy, as the chunk may be a lent buffer.
      if (header.length < 8) {
        header = Buffer.from(header);
        break;
      }
      stream = header[0] === 2 ? 'stderr' : 'stdout';
      remaining = header.readUInt32BE(4);
      header = Buffer.alloc(0);
      // An empty frame says nothing; a consumer waiting on the stream sees no empty piece.
    }
    handOn();
  };
}
