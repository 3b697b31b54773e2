import { UsageError } from '../errors.js';
import { isLogLevel, setLogLevel } from '../log.js';
import { VERSION } from '../version.js';
import { parseArgs } from './args.js';
import { findCommand } from './command-table.js';
import { createContext } from './context.js';
import { commandHelp, mainHelp } from './help.js';
import { createOutput } from './output.js';
import { reportError } from './report-error.js';

/** argv (without node and script) → exit code. Prints every error itself, once. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = createOutput();
  try {
    const [name, ...rest] = argv;
    if (name === undefined) {
      const [{ runDashboard }, context] = [
        await import('../ui/run-dashboard.js'),
        createContext(parseArgs([], []), out),
      ];
      return await runDashboard(context, context.terminal, { cliPath: process.argv[1]!, cwd: context.cwd });
    }
    if (name === '--help' || name === '-h' || name === 'help') {
      out.line(mainHelp());
      return 0;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      out.line(VERSION);
      return 0;
    }
    const command = findCommand(name);
    if (!command)
      throw new UsageError(`Unknown command "${name}".`, 'Run `claude-tui --help` to see the commands.');
    const args = parseArgs(rest, command.flags);
    if (args.flags.help) {
      out.line(commandHelp(command));
      return 0;
    }
    const level = args.flags['log-level'] ?? process.env.CLAUDE_TUI_LOG_LEVEL;
    if (typeof level === 'string') {
      if (!isLogLevel(level))
        throw new UsageError(`--log-level must be debug, info, warn or error, not "${level}".`);
      setLogLevel(level);
    }
    const handler = await command.load();
    const code = await handler(createContext(args, out));
    return code ?? 0;
  } catch (error) {
    out.progress.end();
    return reportError(error, process.stderr, out.color);
  }
}
