import { EngineError, ExitCode, ExternalCommandError, PassthroughExit, UserError } from '../errors.js';
import { log, logFilePath } from '../log.js';
import { visibleText } from '../system/visible-text.js';

/**
 * Messages may quote what the agent wrote (a path, git's words about its commits): its control
 * characters are shown, never sent to the terminal as they are.
 */
const shown = (text: string) => visibleText(text);

/**
 * The one place that turns an error into what the person reads and the exit code. User errors
 * get a message and a hint, never a stack; anything unexpected is a bug, logged with its stack.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream, color: boolean): number {
  if (error instanceof PassthroughExit) return error.code;
  const red = (text: string) => (color ? `\x1b[31m${text}\x1b[39m` : text);
  const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[22m` : text);
  if (error instanceof UserError) {
    log.warn('user error', { name: error.name, message: error.message });
    stderr.write(`${red('claude-tui:')} ${shown(error.message)}\n`);
    if (error.hint) stderr.write(`${dim('→')} ${shown(error.hint)}\n`);
    return error.exitCode;
  }
  if (error instanceof ExternalCommandError) {
    log.warn('external command failed', {
      command: error.command,
      exitCode: error.commandExitCode,
      stderr: error.stderr,
    });
    stderr.write(`${red('claude-tui:')} ${shown(error.message)}\n`);
    const tail = error.stderr.trim().split('\n').slice(-10).join('\n');
    if (tail) stderr.write(`${shown(tail).replace(/^/gm, '    ')}\n`);
    if (error.hint) stderr.write(`${dim('→')} ${shown(error.hint)}\n`);
    return error.exitCode;
  }
  if (error instanceof EngineError) {
    log.warn('docker engine error', { status: error.statusCode, message: error.message });
    stderr.write(`${red('claude-tui:')} ${shown(error.message)}\n`);
    stderr.write(
      `${dim('→')} ${error.hint ?? 'The Docker Engine could not do what was asked; its own words are above.'}\n`,
    );
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  log.error('internal error', { message: err.message, stack: err.stack });
  stderr.write(`${red('claude-tui: internal error:')} ${shown(err.message)}\n`);
  stderr.write(
    `${dim('→')} This is a bug in claude-tui. Details are in ${logFilePath()}; please report it.\n`,
  );
  return ExitCode.bug;
}
