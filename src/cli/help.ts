import { globalFlags, type FlagSpec } from './args.js';
import { commands, type CommandSpec } from './command-table.js';

/** Help text is generated from the command table, so it cannot drift from what exists. */
export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'claude-tui: run AI coding agents in hardened, persistent, per-project Docker containers.',
    '',
    'Usage: claude-tui <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --version   print the version',
    ...flagLines(globalFlags),
    '',
    'DIR defaults to the current directory. Run `claude-tui <command> --help` for one command.',
  ].join('\n');
}

export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: claude-tui ${command.usage}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Options:',
    ...flagLines([...command.flags, ...globalFlags]),
  ].join('\n');
}

function flagLines(flags: readonly FlagSpec[]): string[] {
  const label = (f: FlagSpec) => `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.value ? ' VALUE' : ''}`;
  const width = Math.max(...flags.map((f) => label(f).length));
  return flags.map((f) => `  ${label(f).padEnd(width)}  ${f.description}`);
}
