import type { DockerEngine } from './engine.js';
import type { ExecProcess, ExecRequest } from './exec-process.js';

/**
 * The ways claude-tui runs commands in containers, each a thin use of the Engine's one exec call
 * (`startExec`: a two-way stream and an exit code).
 */

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** An exec's output as the bytes the command wrote, for output that is not ours to decode. */
export interface ExecBytesResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

export interface ExecOptions {
  user?: string;
  workingDir?: string;
  env?: readonly string[];
  /** Given to the command on its stdin, which then ends. */
  input?: string | Buffer;
}

/** Runs a command to completion without a terminal and collects its output as bytes. */
export async function execBytes(
  engine: DockerEngine,
  container: string,
  command: readonly string[],
  options: ExecOptions = {},
): Promise<ExecBytesResult> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const process = await engine.startExec(
    { container, command, ...options, stdin: options.input !== undefined },
    (stream, data) => (stream === 'stderr' ? stderr : stdout).push(data),
  );
  if (options.input !== undefined) process.stdin.end(options.input);
  const exitCode = await process.exit;
  return {
    exitCode: exitCode ?? -1,
    stdout: Buffer.concat(stdout),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

/** Runs a command to completion without a terminal and collects its output as text. */
export async function execText(
  engine: DockerEngine,
  container: string,
  command: readonly string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const { exitCode, stdout, stderr } = await execBytes(engine, container, command, options);
  return { exitCode, stdout: stdout.toString('utf8'), stderr };
}

/**
 * A long-running command whose output is handed on as text as it arrives. Its stdin is attached
 * and never written: the Engine closes it when this connection ends, which is how the command
 * learns that nobody reads it any more (it has no terminal to hang up).
 */
export function streamExec(
  engine: DockerEngine,
  request: Omit<ExecRequest, 'tty' | 'stdin'>,
  onOutput: (text: string) => void,
): { done: Promise<void>; started: Promise<void>; close: () => void } {
  let process: ExecProcess | undefined;
  let closed = false;
  // A character may straddle two reads.
  const decoder = new TextDecoder();
  const starting = engine.startExec({ ...request, stdin: true }, (stream, data) => {
    if (stream === 'stdout') onOutput(decoder.decode(data, { stream: true }));
  });
  const done = (async () => {
    process = await starting;
    if (closed) process.close();
    await process.exit;
  })();
  return {
    done,
    // Settles once the command runs, or could not start (`done` says why).
    started: starting.then(
      () => undefined,
      () => undefined,
    ),
    close: () => {
      closed = true;
      process?.close();
    },
  };
}
