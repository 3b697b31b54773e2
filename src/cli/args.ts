import { UsageError } from '../errors.js';

export interface FlagSpec {
  name: string;
  /** Takes a value (`--log-level debug`) rather than being a switch. */
  value?: boolean;
  /** A one-letter form (`-m` for `--message`), as git's own commands have. */
  short?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Everything after a literal `--`. */
  rest: string[];
  flags: Record<string, string | true>;
}

/** Flags every command understands. */
export const globalFlags: FlagSpec[] = [
  { name: 'help', description: 'show help for the command' },
  { name: 'log-level', value: true, description: 'debug, info, warn or error (log file only)' },
  {
    name: 'context',
    value: true,
    description: 'the Docker context to use (outranks DOCKER_HOST and DOCKER_CONTEXT, as in docker)',
  },
];

/**
 * Global options written before the command, as `docker --context NAME ps` has them: taken off
 * the front of argv, to be parsed with the command's own (`claude-tui --context box ls`).
 */
export function leadingGlobalOptions(argv: readonly string[]): { options: string[]; rest: string[] } {
  const options: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const [name, inline] = (argv[i] ?? '').replace(/^--/, '').split(/=(.*)/s, 2);
    const spec = argv[i]!.startsWith('--') && globalFlags.find((f) => f.name === name && f.name !== 'help');
    if (!spec) break;
    const width = spec.value && inline === undefined ? 2 : 1;
    options.push(...argv.slice(i, i + width));
    i += width;
  }
  return { options, rest: argv.slice(i) };
}

export function parseArgs(argv: readonly string[], allowed: readonly FlagSpec[]): ParsedArgs {
  const specs = new Map([...globalFlags, ...allowed].map((f) => [f.name, f]));
  const parsed: ParsedArgs = { positionals: [], rest: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      parsed.rest = argv.slice(i + 1);
      break;
    }
    if (arg === '-h') {
      parsed.flags.help = true;
      continue;
    }
    const shortFlag = /^-([a-zA-Z])$/.exec(arg) && [...specs.values()].find((f) => f.short === arg.slice(1));
    if (shortFlag) {
      if (!shortFlag.value) {
        parsed.flags[shortFlag.name] = true;
        continue;
      }
      const value = argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${arg} needs a value.`);
      parsed.flags[shortFlag.name] = value;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`Unknown option ${arg}.`, 'See --help.');
      parsed.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = specs.get(name);
    if (!spec)
      throw new UsageError(`Unknown option --${name}.`, 'See --help for the options of this command.');
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value.`);
      parsed.flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value.`);
    }
    parsed.flags[name] = value;
  }
  return parsed;
}
