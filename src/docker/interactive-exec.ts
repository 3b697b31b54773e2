import type { Socket } from 'node:net';
import type { DockerEndpoint } from './endpoint.js';
import { EngineError } from '../errors.js';
import { httpRequest, httpUpgrade, type HttpResponse } from './http-over-socket.js';

/**
 * `docker exec -i [-t]` done through the Engine API itself: the exec is created, its start
 * request takes over the connection, and bytes flow both ways until the command ends. No docker
 * CLI process is started, which halves the cost of a short `claude-tui exec`.
 */
export interface InteractiveExecRequest {
  container: string;
  command: readonly string[];
  user: string;
  workingDir: string;
  env: string[];
  tty: boolean;
}

export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

function refused(response: HttpResponse): EngineError {
  let message = response.body.toString('utf8').trim();
  try {
    message = (JSON.parse(message) as { message?: string }).message ?? message;
  } catch {
    // Plain text answer.
  }
  return new EngineError(response.statusCode, message);
}

function terminalSize(stdout: NodeJS.WriteStream): { rows: number; cols: number } | undefined {
  return stdout.rows && stdout.columns ? { rows: stdout.rows, cols: stdout.columns } : undefined;
}

export function withTerminalSize(command: readonly string[], size: { rows: number; cols: number }): string[] {
  const script = 'stty rows "$1" cols "$2" 2>/dev/null; shift 2; exec "$@"';
  return ['sh', '-c', script, 'claude-tui-exec', String(size.rows), String(size.cols), ...command];
}

/** Creates an exec and starts it on a connection it takes over; returns the exec id and socket. */
async function startExec(
  target: DockerEndpoint,
  container: string,
  body: Record<string, unknown>,
): Promise<{ id: string; socket: Socket; head: Buffer }> {
  const created = await httpRequest(
    target,
    'POST',
    `/containers/${encodeURIComponent(container)}/exec`,
    body,
  );
  if (created.statusCode !== 201) throw refused(created);
  const { Id: id } = JSON.parse(created.body.toString('utf8')) as { Id: string };
  const started = await httpUpgrade(target, 'POST', `/exec/${id}/start`, { Detach: false, Tty: body.Tty });
  if (!('socket' in started)) throw refused(started);
  return { id, ...started };
}

export async function runInteractiveExec(
  target: DockerEndpoint,
  request: InteractiveExecRequest,
  terminal: Terminal,
): Promise<number> {
  const size = request.tty ? terminalSize(terminal.stdout) : undefined;
  const { id, socket, head } = await startExec(target, request.container, {
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: request.tty,
    // Engines with API 1.42+ size the terminal from the start; older ones only take a resize
    // after the command has started, too late for its first look, so it sets its own size first.
    ...(size ? { ConsoleSize: [size.rows, size.cols] } : {}),
    Cmd: size ? withTerminalSize(request.command, size) : request.command,
    User: request.user,
    WorkingDir: request.workingDir,
    Env: request.env,
  });

  await pipeUntilEnd(target, id, socket, head, request.tty, terminal);
  const inspect = await httpRequest(target, 'GET', `/exec/${id}/json`);
  const { ExitCode } = JSON.parse(inspect.body.toString('utf8')) as { ExitCode: number | null };
  return ExitCode ?? 1;
}

function pipeUntilEnd(
  target: DockerEndpoint,
  id: string,
  socket: Socket,
  head: Buffer,
  tty: boolean,
  { stdin, stdout, stderr }: Terminal,
): Promise<void> {
  const write = tty
    ? (chunk: Buffer) => stdout.write(chunk)
    : demultiplexer((stream, frame) => (stream === 'stderr' ? stderr : stdout).write(frame));
  if (head.length) write(head);
  socket.on('data', write);

  const resize = () => {
    if (!stdout.columns || !stdout.rows) return;
    void httpRequest(target, 'POST', `/exec/${id}/resize?h=${stdout.rows}&w=${stdout.columns}`).catch(
      () => undefined,
    );
  };
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (tty) {
    if (stdin.isTTY) stdin.setRawMode(true);
    resize();
    stdout.on('resize', resize);
  }
  const forward = (chunk: Buffer) => socket.write(chunk);
  // Our stdin ending means the command's stdin ends: half-close, keep reading its output.
  const endInput = () => socket.end();
  stdin.on('data', forward);
  stdin.on('end', endInput);
  stdin.resume();

  return new Promise((resolve) => {
    socket.on('close', () => {
      stdin.off('data', forward);
      stdin.off('end', endInput);
      stdin.pause();
      if (tty) {
        stdout.off('resize', resize);
        if (stdin.isTTY) stdin.setRawMode(wasRaw);
      }
      resolve();
    });
    socket.on('error', () => socket.destroy());
  });
}

/**
 * A command's terminal held open over a taken-over Engine connection: bytes both ways with
 * nothing in between (no docker CLI, no second pty), resize through the exec resize API.
 */
export interface ExecTerminal {
  write(data: Buffer): void;
  resize(size: { rows: number; cols: number }): void;
  /** Stops and restarts reading output (backpressure from a slow terminal). */
  pause(): void;
  resume(): void;
  /** Settles when the connection is gone: the command's exit code, or null if it still runs. */
  readonly ended: Promise<number | null>;
  /** Cuts the connection from our side. */
  close(): void;
}

export interface ExecTerminalRequest {
  container: string;
  command: readonly string[];
  user: string;
  env: string[];
  size: { rows: number; cols: number };
  /**
   * The Engine watches input for a detach sequence (Ctrl+P Ctrl+Q unless told another) and holds
   * back a key that may start one until the next key comes. Name one our side never sends.
   */
  engineDetachKeys: string;
}

export async function openExecTerminal(
  target: DockerEndpoint,
  request: ExecTerminalRequest,
  onOutput: (data: Buffer) => void,
): Promise<ExecTerminal> {
  const { size } = request;
  const { id, socket, head } = await startExec(target, request.container, {
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    ConsoleSize: [size.rows, size.cols],
    Cmd: request.command,
    User: request.user,
    Env: request.env,
    DetachKeys: request.engineDetachKeys,
  });
  // Keystrokes are a few bytes each: send each at once (this matters over TCP only).
  socket.setNoDelay(true);
  if (head.length) onOutput(head);
  socket.on('data', onOutput);
  socket.on('error', () => socket.destroy());
  const ended = new Promise<number | null>((resolve) => {
    socket.on('close', () => {
      httpRequest(target, 'GET', `/exec/${id}/json`).then(
        (inspect) =>
          resolve((JSON.parse(inspect.body.toString('utf8')) as { ExitCode: number | null }).ExitCode),
        () => resolve(null),
      );
    });
  });
  return {
    write: (data) => {
      if (!socket.destroyed) socket.write(data);
    },
    resize: ({ rows, cols }) => {
      void httpRequest(target, 'POST', `/exec/${id}/resize?h=${rows}&w=${cols}`).catch(() => undefined);
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    ended,
    close: () => socket.destroy(),
  };
}

/**
 * Splits Docker's multiplexed stdout/stderr stream (8-byte frame headers) as it arrives; a frame
 * may straddle reads. The one place that knows the framing.
 */
export function demultiplexer(
  onFrame: (stream: 'stdout' | 'stderr', frame: Buffer) => void,
): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      onFrame(pending[0] === 2 ? 'stderr' : 'stdout', pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  };
}

/**
 * Runs a command with no input and hands its output to `onOutput` as it arrives (a long-running
 * watch, for instance). `close` ends it from our side.
 */
export function streamExec(
  target: DockerEndpoint,
  request: Omit<InteractiveExecRequest, 'tty'>,
  onOutput: (text: string) => void,
): { done: Promise<void>; close: () => void } {
  let socket: Socket | undefined;
  let closed = false;
  const done = (async () => {
    const started = await startExec(target, request.container, {
      // Never written to: the Engine closes it when this connection ends, which is how the
      // command learns that nobody reads it any more (it has no terminal to hang up).
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: false,
      Tty: false,
      Cmd: request.command,
      User: request.user,
      WorkingDir: request.workingDir,
      Env: request.env,
    });
    socket = started.socket;
    if (closed) socket.destroy();
    const write = demultiplexer((_, frame) => onOutput(frame.toString('utf8')));
    if (started.head.length) write(started.head);
    socket.on('data', write);
    await new Promise<void>((resolve) => {
      socket!.on('close', () => resolve());
      socket!.on('error', () => socket!.destroy());
    });
  })();
  return {
    done,
    close: () => {
      closed = true;
      socket?.destroy();
    },
  };
}
