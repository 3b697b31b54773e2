import { spawn } from 'node:child_process';
import { ExternalCommandError, UserError } from '../errors.js';
import { log } from '../log.js';

/**
 * The one wrapper for child processes (a lint rule forbids child_process and execa elsewhere).
 * Captured runs use execa, loaded only when needed; interactive runs hand the terminal to the child
 * with node's spawn, which starts faster and keeps the hot paths (exec, shell) light.
 */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Runs with the terminal handed over (stdio inherited); resolves to the exit code. */
  runInteractive(
    command: string,
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv },
  ): Promise<number>;
}

export const systemProcessRunner: ProcessRunner = {
  async run(command, args, options = {}) {
    const { execa } = await import('execa');
    log.debug('run', { command, args });
    const result = await execa(command, args, {
      cwd: options.cwd,
      env: options.env,
      input: options.input,
      reject: false,
      timeout: options.timeoutMs,
      stripFinalNewline: true,
    });
    if (result.failed && result.exitCode === undefined) {
      const missing = (result as { code?: string }).code === 'ENOENT';
      if (missing)
        throw new UserError(
          `${command} is not installed or not on PATH.`,
          `Install ${command} and try again.`,
        );
      throw new ExternalCommandError(
        [command, ...args].join(' '),
        undefined,
        String(result.stderr || result.shortMessage),
      );
    }
    const exitCode = result.exitCode ?? 1;
    if (exitCode !== 0 && !options.allowFailure) {
      throw new ExternalCommandError([command, ...args].join(' '), exitCode, String(result.stderr));
    }
    return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
  },

  runInteractive(command, args, options = {}) {
    log.debug('run interactive', { command, args });
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'inherit', env: options.env ?? process.env });
      // The child owns the terminal: a Ctrl+C reaches it through the terminal's process group, and
      // must not also end us before we can report its exit code.
      const ignore = () => undefined;
      const signals: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGTSTP'];
      for (const signal of signals) process.on(signal, ignore);
      const forwardTerm = () => child.kill('SIGTERM');
      process.on('SIGTERM', forwardTerm);
      const cleanup = () => {
        for (const signal of signals) process.off(signal, ignore);
        process.off('SIGTERM', forwardTerm);
      };
      child.on('error', (error: NodeJS.ErrnoException) => {
        cleanup();
        if (error.code === 'ENOENT') {
          reject(
            new UserError(`${command} is not installed or not on PATH.`, `Install ${command} and try again.`),
          );
        } else reject(error);
      });
      child.on('exit', (code, signal) => {
        cleanup();
        resolve(code ?? (signal ? 128 + signalNumber(signal) : 1));
      });
    });
  },
};

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGQUIT: 3,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return numbers[signal] ?? 1;
}
