import { describe, expect, it } from 'vitest';
import { globalFlags, leadingGlobalOptions, parseArgs, type FlagSpec } from '../../src/cli/args.js';
import { ExitCode, UsageError } from '../../src/errors.js';

const json: FlagSpec = { name: 'json', description: 'json' };
const project: FlagSpec = { name: 'project', value: true, description: 'dir' };
const allowed = [json, project];

function usageError(argv: string[], flags: readonly FlagSpec[] = allowed): UsageError {
  try {
    parseArgs(argv, flags);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not throw`);
}

describe('parseArgs', () => {
  it('separates positionals from switches', () => {
    expect(parseArgs(['up', './dir', '--json'], allowed)).toEqual({
      positionals: ['up', './dir'],
      rest: [],
      flags: { json: true },
    });
  });

  it('takes a one-letter form for a flag that has one, and refuses one that has none', () => {
    const message: FlagSpec = { name: 'message', short: 'm', value: true, description: 'msg' };
    expect(parseArgs(['-m', 'Fix it', 'g1'], [...allowed, message]).flags).toEqual({ message: 'Fix it' });
    expect(usageError(['-m'], [...allowed, message]).message).toBe('-m needs a value.');
    expect(usageError(['-x', 'y'], [...allowed, message]).message).toBe('Unknown option -x.');
  });

  it('reads a value from the next argument', () => {
    expect(parseArgs(['--project', '/p', 'add', 'x'], allowed)).toEqual({
      positionals: ['add', 'x'],
      rest: [],
      flags: { project: '/p' },
    });
  });

  it('reads an inline --name=value, keeping further = signs in the value', () => {
    expect(parseArgs(['--project=/a=b'], allowed).flags).toEqual({ project: '/a=b' });
    expect(parseArgs(['--log-level=debug'], allowed).flags).toEqual({ 'log-level': 'debug' });
  });

  it('knows the global flags for every command', () => {
    expect(globalFlags.map((f) => f.name)).toEqual(['help', 'log-level', 'context']);
    expect(parseArgs(['--help', '--log-level', 'warn', '--context', 'box'], []).flags).toEqual({
      help: true,
      'log-level': 'warn',
      context: 'box',
    });
  });

  it('takes global options written before the command, as docker does, and stops at the first other word', () => {
    expect(leadingGlobalOptions(['--context', 'box', 'ls', '--json'])).toEqual({
      options: ['--context', 'box'],
      rest: ['ls', '--json'],
    });
    expect(leadingGlobalOptions(['--context=box', '--log-level', 'debug'])).toEqual({
      options: ['--context=box', '--log-level', 'debug'],
      rest: [],
    });
    expect(leadingGlobalOptions(['ls', '--context', 'box'])).toEqual({
      options: [],
      rest: ['ls', '--context', 'box'],
    });
    expect(leadingGlobalOptions(['--help', 'ls'])).toEqual({ options: [], rest: ['--help', 'ls'] });
  });

  it('treats -h as --help', () => {
    expect(parseArgs(['-h'], []).flags).toEqual({ help: true });
  });

  it('keeps everything after -- untouched, flags included', () => {
    const parsed = parseArgs(['exec', '.', '--', 'ls', '--json', '-la', '--'], allowed);
    expect(parsed.positionals).toEqual(['exec', '.']);
    expect(parsed.rest).toEqual(['ls', '--json', '-la', '--']);
    expect(parsed.flags).toEqual({});
  });

  it('gives an empty rest for a trailing --', () => {
    expect(parseArgs(['x', '--'], allowed).rest).toEqual([]);
  });

  it('takes a lone - as a positional', () => {
    expect(parseArgs(['-'], allowed).positionals).toEqual(['-']);
  });

  it('lets a later flag win over an earlier one', () => {
    expect(parseArgs(['--project', 'a', '--project=b'], allowed).flags.project).toBe('b');
  });

  it('rejects an unknown long flag with a UsageError (exit 2) naming it', () => {
    const error = usageError(['--nope']);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain('--nope');
    expect(error.hint).toMatch(/--help/);
  });

  it('rejects a flag that belongs to another command', () => {
    expect(usageError(['--rebuild']).message).toContain('--rebuild');
  });

  it('rejects an unknown short flag', () => {
    expect(usageError(['-x']).message).toContain('-x');
    expect(usageError(['-la']).message).toContain('-la');
  });

  it('rejects a value given to a switch', () => {
    expect(usageError(['--json=yes']).message).toBe('--json takes no value.');
    expect(usageError(['--help=']).message).toBe('--help takes no value.');
  });

  it('rejects a value flag without its value', () => {
    expect(usageError(['--project']).message).toBe('--project needs a value.');
    expect(usageError(['--project=']).message).toBe('--project needs a value.');
    expect(usageError(['--project', '']).message).toBe('--project needs a value.');
  });
});
