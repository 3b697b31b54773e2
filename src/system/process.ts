import { ExternalCommandError, UserError } from '../errors.js';
import { log } from '../log.js';

/**
 * The one wrapper for child processes (a lint rule forbids child_process and execa elsewhere).
 * execa is loaded on first use, so commands that start no process do not pay for it.
 */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
  /**
   * Stream stdout here instead of collecting it (binary output, such as a git bundle); the result's
   * stdout is then empty. The stream is not ended: it belongs to the caller.
   */
  stdout?: NodeJS.WritableStream;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /**
   * Runs a command on our own terminal (a shell for the person), waiting for it; its exit code.
   * The caller gives the terminal up first.
   */
  runOnTerminal(
    command: string,
    args: readonly string[],
    options?: { cwd?: string; env?: NodeJS.ProcessEnv },
  ): Promise<number>;
  /** Starts a process that outlives us (its own session, no terminal); returns its pid. */
  spawnDetached(
    command: string,
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv },
  ): Promise<number>;
}

export const systemProcessRunner: ProcessRunner = {
  async run(command, args, options = {}) {
    const { execa } = await import('execa');
    log.debug('run', { command, args });
    const subprocess = execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      input: options.input,
      reject: false,
      timeout: options.timeoutMs,
      stripFinalNewline: true,
      buffer: { stdout: !options.stdout },
    });
    if (options.stdout) subprocess.stdout.pipe(options.stdout, { end: false });
    const result = await subprocess;
    const commandLine = [command, ...args].join(' ');
    if (result.failed && result.exitCode === undefined) {
      if ((result as { code?: string }).code === 'ENOENT') {
        throw new UserError(
          `${command} is not installed or not on PATH.`,
          `Install ${command} and try again.`,
        );
      }
      throw new ExternalCommandError(commandLine, undefined, String(result.stderr || result.shortMessage));
    }
    const exitCode = result.exitCode ?? 1;
    if (exitCode !== 0 && !options.allowFailure) {
      throw new ExternalCommandError(commandLine, exitCode, String(result.stderr));
    }
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
  },

  async runOnTerminal(command, args, options = {}) {
    const { spawn } = await import('node:child_process');
    log.debug('run on the terminal', { command, args });
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: 'inherit',
    });
    return new Promise((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'ENOENT'
            ? new UserError(`${command} is not installed or not on PATH.`, 'Set SHELL to a shell you have.')
            : error,
        ),
      );
      child.on('close', (code) => resolve(code ?? 1));
    });
  },

  async spawnDetached(command, args, options = {}) {
    const { spawn } = await import('node:child_process');
    const child = spawn(command, args, { detached: true, stdio: 'ignore', env: options.env ?? process.env });
    child.unref();
    log.debug('spawned detached', { command, args, pid: child.pid });
    return child.pid ?? -1;
  },
};
