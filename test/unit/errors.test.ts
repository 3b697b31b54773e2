import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DockerUnavailableError,
  ExitCode,
  ExternalCommandError,
  PassthroughExit,
  UsageError,
  UserError,
  isUserFacing,
} from '../../src/errors.js';

describe('error taxonomy', () => {
  it('gives each kind of error its own exit code', () => {
    expect(new UserError('x').exitCode).toBe(1);
    expect(new UsageError('x').exitCode).toBe(2);
    expect(new DockerUnavailableError('x').exitCode).toBe(3);
    expect(new ExternalCommandError('cmd', 1, '').exitCode).toBe(4);
    expect(ExitCode.bug).toBe(70);
  });

  it('names errors after their class', () => {
    expect(new UsageError('x').name).toBe('UsageError');
    expect(new DockerUnavailableError('x').name).toBe('DockerUnavailableError');
    expect(new ExternalCommandError('cmd', 1, '').name).toBe('ExternalCommandError');
  });

  it('builds a ConfigError message from file, location and expectation', () => {
    const error = new ConfigError('/p/.claude/claude-tui.yaml', '4:7', 'env.X: a string');
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe('/p/.claude/claude-tui.yaml:4:7: env.X: a string');
    expect(error.hint).toBeTruthy();
    expect(new ConfigError('/f', '', 'cannot be read').message).toBe('/f: cannot be read');
  });

  it('mentions the exit code of a failed command only when there is one', () => {
    expect(new ExternalCommandError('git fetch', 128, '').message).toBe('git fetch failed (exit 128)');
    expect(new ExternalCommandError('git fetch', undefined, '').message).toBe('git fetch failed');
  });

  it('isUserFacing is true for UserError and ExternalCommandError only', () => {
    expect(isUserFacing(new UsageError('x'))).toBe(true);
    expect(isUserFacing(new ExternalCommandError('c', 1, ''))).toBe(true);
    expect(isUserFacing(new Error('x'))).toBe(false);
    expect(isUserFacing(new PassthroughExit(3))).toBe(false);
    expect(isUserFacing('x')).toBe(false);
  });
});
