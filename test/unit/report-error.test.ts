import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/report-error.js';
import {
  ConfigError,
  DockerUnavailableError,
  ExitCode,
  ExternalCommandError,
  PassthroughExit,
  UsageError,
  UserError,
} from '../../src/errors.js';

function collector() {
  let text = '';
  const stream = {
    write(chunk: string | Uint8Array) {
      text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { stream, text: () => text };
}

let stateHome: string;
let previous: string | undefined;

beforeAll(() => {
  stateHome = mkdtempSync(join(tmpdir(), 'claude-tui-unit-state-'));
  previous = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = stateHome;
});

afterAll(() => {
  if (previous === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = previous;
  rmSync(stateHome, { recursive: true, force: true });
});

const logFile = () => join(stateHome, 'claude-tui', 'claude-tui.log');

interface LogEntry {
  level: string;
  message: string;
  stack?: string;
}

const logEntries = (): LogEntry[] =>
  readFileSync(logFile(), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEntry);

describe('reportError', () => {
  it('prints a UserError as message and hint, without a stack, and returns its exit code', () => {
    const out = collector();
    const code = reportError(new UserError('The thing is broken.', 'Fix the thing.'), out.stream, false);
    expect(code).toBe(ExitCode.userError);
    expect(out.text()).toBe('claude-tui: The thing is broken.\n→ Fix the thing.\n');
    expect(out.text()).not.toMatch(/\bat /);
  });

  it("shows control characters in a message as marks: it may quote the agent's words", () => {
    const out = collector();
    const hostile = 'file\x1b]52;c;ZXZpbA==\x07name';
    const error = new ExternalCommandError('git cherry-pick', 1, `error: could not apply 1234... ${hostile}`);
    reportError(new UserError(`Conflicts in ${hostile}.`, `Resolve ${hostile}.`), out.stream, true);
    reportError(error, out.stream, false);
    expect(out.text()).toContain('file^[]52;c;ZXZpbA==^Gname');
    // Our own colour stays; nothing of the agent's acts.
    expect(out.text()).toContain('\x1b[31mclaude-tui:\x1b[39m');
    expect(out.text()).not.toContain('\x1b]52');
  });

  it('prints no hint line when there is no hint', () => {
    const out = collector();
    reportError(new UserError('Only a message.'), out.stream, false);
    expect(out.text()).toBe('claude-tui: Only a message.\n');
  });

  it("returns each subclass's own exit code", () => {
    const out = collector();
    expect(reportError(new UsageError('bad usage'), out.stream, false)).toBe(ExitCode.usage);
    expect(reportError(new DockerUnavailableError('no docker'), out.stream, false)).toBe(
      ExitCode.dockerUnavailable,
    );
    expect(reportError(new ConfigError('/p/c.yaml', '3:4', 'env: bad'), out.stream, false)).toBe(
      ExitCode.userError,
    );
    expect(out.text()).toContain('claude-tui: /p/c.yaml:3:4: env: bad\n');
  });

  it('colours the prefix only when asked', () => {
    const plain = collector();
    const colored = collector();
    reportError(new UserError('m', 'h'), plain.stream, false);
    reportError(new UserError('m', 'h'), colored.stream, true);
    expect(plain.text()).not.toContain('\x1b[');
    expect(colored.text()).toContain('\x1b[31mclaude-tui:\x1b[39m m');
  });

  it('prints the last 10 lines of an ExternalCommandError, indented, and returns exit 4', () => {
    const stderr = Array.from({ length: 15 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n';
    const out = collector();
    const code = reportError(
      new ExternalCommandError('git status', 128, stderr, 'Is this a git repository?'),
      out.stream,
      false,
    );
    expect(code).toBe(ExitCode.externalCommand);
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('claude-tui: git status failed (exit 128)');
    expect(lines.slice(1, 11)).toEqual(Array.from({ length: 10 }, (_, i) => `    line ${i + 6}`));
    expect(lines[11]).toBe('→ Is this a git repository?');
    expect(out.text()).not.toContain('line 5\n');
  });

  it('prints no tail for an ExternalCommandError with empty stderr', () => {
    const out = collector();
    reportError(new ExternalCommandError('docker build', undefined, '  \n'), out.stream, false);
    expect(out.text()).toBe('claude-tui: docker build failed\n');
  });

  it('reports any other error as a bug: exit 70, message, and the log file that has its stack', () => {
    const out = collector();
    const error = new TypeError('undefined is not a function');
    const code = reportError(error, out.stream, false);
    expect(code).toBe(70);
    expect(out.text()).toContain('claude-tui: internal error: undefined is not a function');
    expect(out.text()).toContain(logFile());
    expect(out.text()).not.toContain(error.stack!.split('\n')[1]!);
    const entry = logEntries().find((e) => e.stack === error.stack);
    expect(entry?.level).toBe('error');
  });

  // KNOWN BUG (see report): log.ts spreads the fields after `message`, so the field
  // `message: err.message` replaces the log message 'internal error'. Remove `.fails` once fixed.
  it("logs a bug under the message 'internal error'", () => {
    const error = new RangeError('out of range');
    reportError(error, collector().stream, false);
    const entry = logEntries().find((e) => e.stack === error.stack);
    expect(entry?.message).toBe('internal error');
  });

  it('reports a thrown non-Error value as a bug too', () => {
    const out = collector();
    expect(reportError('a string', out.stream, false)).toBe(ExitCode.bug);
    expect(out.text()).toContain('internal error: a string');
  });

  it('returns the code of a PassthroughExit and prints nothing', () => {
    const out = collector();
    expect(reportError(new PassthroughExit(42), out.stream, true)).toBe(42);
    expect(reportError(new PassthroughExit(0), out.stream, true)).toBe(0);
    expect(out.text()).toBe('');
  });
});
