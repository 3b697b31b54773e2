import type { DockerEngine } from './engine.js';
import type { ExecProcess } from './exec-process.js';

/** The caller's own terminal (or pipes), for `docker exec -i [-t]`-like commands. */
export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface TerminalExecRequest {
  container: string;
  command: readonly string[];
  user: string;
  workingDir: string;
  env: string[];
  tty: boolean;
}

function withTerminalSize(command: readonly string[], size: { rows: number; cols: number }): string[] {
  const script = 'stty rows "$1" cols "$2" 2>/dev/null; shift 2; exec "$@"';
  return ['sh', '-c', script, 'claude-tui-exec', String(size.rows), String(size.cols), ...command];
}

function terminalSize(stdout: NodeJS.WriteStream): { rows: number; cols: number } | undefined {
  return stdout.rows && stdout.columns ? { rows: stdout.rows, cols: stdout.columns } : undefined;
}

/**
 * `docker exec -i [-t]` on the caller's terminal: raw mode and resizes while it runs, our stdin
 * ending ends the command's; resolves to the command's exit code.
 */
export async function execOnTerminal(
  engine: DockerEngine,
  request: TerminalExecRequest,
  { stdin, stdout, stderr }: Terminal,
): Promise<number> {
  const size = request.tty ? (terminalSize(stdout) ?? { rows: 24, cols: 80 }) : undefined;
  const process = await engine.startExec(
    {
      container: request.container,
      // Older Engines only take a size after the command started, too late for its first look,
      // so it sets its own size first.
      command: size ? withTerminalSize(request.command, size) : request.command,
      user: request.user,
      workingDir: request.workingDir,
      env: request.env,
      ...(size ? { tty: size } : {}),
    },
    (stream, data) => (stream === 'stderr' ? stderr : stdout).write(data),
  );
  const exitCode = await pipeTerminal(process, Boolean(size), { stdin, stdout, stderr });
  return exitCode ?? 1;
}

async function pipeTerminal(
  process: ExecProcess,
  tty: boolean,
  { stdin, stdout }: Terminal,
): Promise<number | null> {
  const resize = () => {
    if (stdout.columns && stdout.rows) process.resize({ rows: stdout.rows, cols: stdout.columns });
  };
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (tty) {
    if (stdin.isTTY) stdin.setRawMode(true);
    resize();
    stdout.on('resize', resize);
  }
  const forward = (chunk: Buffer) => process.stdin.write(chunk);
  // Our stdin ending means the command's stdin ends: half-close, keep reading its output.
  const endInput = () => process.stdin.end();
  stdin.on('data', forward);
  stdin.on('end', endInput);
  stdin.resume();
  try {
    return await process.exit;
  } finally {
    stdin.off('data', forward);
    stdin.off('end', endInput);
    stdin.pause();
    if (tty) {
      stdout.off('resize', resize);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
    }
  }
}
