/**
 * The bridge's wire format, between the client inside the agent container (images/bridge-client)
 * and the relay on the host: frames of one type byte, a 4-byte big-endian length and that many
 * bytes. The set of types is closed; anything else ends the connection. There is no field for a
 * container, an image, a path of the Docker API or any Docker verb: a call is a command name, its
 * arguments, a few environment values, a folder below the workspace and stdio.
 */
export const FRAME = {
  // Client to relay: the request, then `go`.
  command: 0x63, // c: the command's name
  arg: 0x61, // a: one argument
  env: 0x65, // e: NAME=value
  cwd: 0x64, // d: the caller's folder relative to the workspace
  tty: 0x74, // t: "rows cols TERM"
  go: 0x67, // g: the request is complete
  // Client to relay, while the command runs.
  stdin: 0x69, // i: input bytes; an empty one is the end of input
  resize: 0x7a, // z: "rows cols"
  signal: 0x73, // s: a signal's name (INT, TERM, HUP, QUIT)
  // Relay to client.
  stdout: 0x4f, // O
  stderr: 0x45, // E
  ack: 0x41, // A: so many input bytes were handed on (the client may send more)
  exit: 0x58, // X: the exit code, in decimal
  failed: 0x46, // F: why the call was refused or could not run
} as const;

export const HEADER_BYTES = 5;
/** The largest frame either side may send: a long argument fits, a flood does not. */
export const MAX_FRAME_BYTES = 128 * 1024;
/** Output and input travel in chunks of up to this size. */
export const CHUNK_BYTES = 64 * 1024;
/** Input bytes the client may have in flight before the relay acknowledges them. */
export const STDIN_WINDOW_BYTES = 256 * 1024;

export interface Frame {
  type: number;
  payload: Buffer;
}

export function frameHeader(type: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header[0] = type;
  header.writeUInt32BE(length, 1);
  return header;
}

export function encodeFrame(type: number, payload: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([frameHeader(type, body.length), body]);
}

export class FrameError extends Error {}

/**
 * Cuts a byte stream into frames as it arrives (a frame may straddle reads). A frame longer than
 * the limit throws before its bytes are buffered, so a hostile length costs nothing.
 */
export function frameReader(onFrame: (frame: Frame) => void, maxBytes = MAX_FRAME_BYTES) {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer): void => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= HEADER_BYTES) {
      const size = pending.readUInt32BE(1);
      if (size > maxBytes) throw new FrameError(`a frame of ${size} bytes (at most ${maxBytes})`);
      if (pending.length < HEADER_BYTES + size) break;
      const type = pending[0]!;
      const payload = pending.subarray(HEADER_BYTES, HEADER_BYTES + size);
      pending = pending.subarray(HEADER_BYTES + size);
      onFrame({ type, payload });
    }
  };
}
