/**
 * The one error taxonomy. Domain code throws these; src/cli/run-command.ts prints them, once, and
 * turns them into exit codes. Anything else that escapes is a bug and is reported as one.
 */

export const ExitCode = {
  ok: 0,
  userError: 1,
  usage: 2,
  dockerUnavailable: 3,
  externalCommand: 4,
  bug: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Something the person can fix: a message saying what happened and a hint saying what to do. */
export class UserError extends Error {
  readonly exitCode: ExitCode = ExitCode.userError;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line itself is wrong. */
export class UsageError extends UserError {
  override readonly exitCode = ExitCode.usage;
}

/** The Docker Engine cannot be reached or used; each cause has its own message. */
export class DockerUnavailableError extends UserError {
  override readonly exitCode = ExitCode.dockerUnavailable;
}

/** A config file is malformed: names the file, where in it, and what was expected. */
export class ConfigError extends UserError {
  constructor(
    readonly file: string,
    readonly location: string,
    readonly expected: string,
  ) {
    super(`${file}${location ? `:${location}` : ''}: ${expected}`, 'Fix the file and run the command again.');
  }
}

/** A program we ran (git, docker CLI, a build step) failed. */
export class ExternalCommandError extends Error {
  readonly exitCode: ExitCode = ExitCode.externalCommand;
  constructor(
    readonly command: string,
    readonly commandExitCode: number | undefined,
    readonly stderr: string,
    readonly hint?: string,
  ) {
    super(`${command} failed${commandExitCode === undefined ? '' : ` (exit ${commandExitCode})`}`);
    this.name = 'ExternalCommandError';
  }
}

/**
 * The Docker Engine refused or failed a request (any HTTP error it answers with, a failing build
 * step). Not the person's mistake as such: the message is the Engine's own, and callers that know
 * a likelier cause (an agent container that is gone) turn it into a UserError first.
 */
export class EngineError extends Error {
  readonly exitCode: ExitCode = ExitCode.externalCommand;
  constructor(
    readonly statusCode: number,
    message: string,
    readonly hint?: string,
  ) {
    super(`Docker Engine: ${message}`);
    this.name = new.target.name;
  }
}

/** A build step failed inside the Engine; the image code adds the step and the log's tail. */
export class BuildStepError extends EngineError {}

/** A child process exited non-zero and its exit code should become ours, with nothing printed. */
export class PassthroughExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function isUserFacing(error: unknown): error is UserError | ExternalCommandError | EngineError {
  return error instanceof UserError || error instanceof ExternalCommandError || error instanceof EngineError;
}
