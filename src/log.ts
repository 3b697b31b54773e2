import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths.js';

/**
 * Logs go to a file in the XDG state directory, never to stdout: stdout belongs to command output
 * and, later, to the dashboard. Level from --log-level or CLAUDE_TUI_LOG_LEVEL.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function logFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'claude-tui.log');
}

let threshold: number = order.info;
let directoryReady = false;

export function setLogLevel(level: LogLevel): void {
  threshold = order[level];
}

export function isLogLevel(value: string): value is LogLevel {
  return value in order;
}

/**
 * Tokens of the kinds claude-tui handles (Claude's OAuth tokens and API keys, GitHub's tokens),
 * wherever they appear in a line: in a command's arguments, an error's message, a field.
 */
const SECRET_SHAPES = /(?<![A-Za-z0-9])(sk-ant-[a-z]+\d*-|github_pat_|gh[opusr]_)[A-Za-z0-9_.-]{4,}/g;

export function redactSecrets(text: string): string {
  return text.replace(SECRET_SHAPES, (_token, prefix: string) => `${prefix}[redacted]`);
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  if (order[level] < threshold) return;
  // The line's own keys come last, so a field cannot overwrite them. Never a secret, whatever
  // the caller passed.
  const line = JSON.stringify(
    { ...fields, time: new Date().toISOString(), level, pid: process.pid, message },
    // Each string as it is, before JSON escapes it: a token after a newline would follow "\n".
    (_key, value: unknown) => (typeof value === 'string' ? redactSecrets(value) : value),
  );
  try {
    const file = logFilePath();
    if (!directoryReady) {
      mkdirSync(stateDir(), { recursive: true, mode: 0o700 });
      directoryReady = true;
    }
    appendFileSync(file, line + '\n', { mode: 0o600 });
  } catch {
    // A log that cannot be written must never break the command it describes.
  }
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
