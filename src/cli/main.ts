import { UsageError, UserError } from '../errors.js';
import { isLogLevel, setLogLevel } from '../log.js';
import { realFolder } from '../project/enclosing-project.js';
import { locateProject } from '../project/locate.js';
import { servicesForProject } from '../project/project-engine.js';
import { VERSION } from '../version.js';
import { leadingGlobalOptions, parseArgs, type ParsedArgs } from './args.js';
import { findCommand } from './command-table.js';
import { createContext, type CommandContext } from './context.js';
import { commandHelp, mainHelp } from './help.js';
import { createOutput } from './output.js';
import { projectOfCommand } from './project-of-command.js';
import { reportError } from './report-error.js';

/** argv (without node and script) → exit code. Prints every error itself, once. */
export async function main(argv: readonly string[]): Promise<number> {
  const out = createOutput();
  try {
    const { options, rest: commandLine } = leadingGlobalOptions(argv);
    const [name, ...afterName] = commandLine;
    const rest = [...options, ...afterName];
    if (name === undefined) {
      const args = parseArgs(options, []);
      setLogLevelFrom(args);
      return await openDashboard(createContext(args, out));
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
    setLogLevelFrom(args);
    const handler = await command.load();
    const code = await handler(await onProjectEngine(createContext(args, out), name));
    return code ?? 0;
  } catch (error) {
    out.progress.end();
    return reportError(error, process.stderr, out.color);
  }
}

/** A command on one project runs on the Engine that project lives on (project-engine.ts). */
async function onProjectEngine(ctx: CommandContext, name: string): Promise<CommandContext> {
  const dir = projectOfCommand(name, ctx.args);
  if (dir === null) return ctx;
  let project;
  try {
    project = locateProject(dir, ctx.cwd);
  } catch {
    // The command says what is wrong with its folder (cleanup takes one that is gone).
    return ctx;
  }
  return servicesForProject(ctx, project.dir);
}

function setLogLevelFrom(args: ParsedArgs): void {
  const level = args.flags['log-level'] ?? process.env.CLAUDE_TUI_LOG_LEVEL;
  if (typeof level === 'string') {
    if (!isLogLevel(level))
      throw new UsageError(`--log-level must be debug, info, warn or error, not "${level}".`);
    setLogLevel(level);
  }
}

/** How long the dashboard's first look may hold back loading its screen. */
const FIRST_LOOK_WAIT_MS = 150;

/**
 * `claude-tui` alone: the dashboard. Its domain is made (and starts asking the Engine) before the
 * screen's code, the larger part of the start, is loaded.
 */
async function openDashboard(context: CommandContext): Promise<number> {
  const { terminal } = context;
  if (!terminal.stdin.isTTY || !terminal.stdout.isTTY) {
    throw new UserError(
      'The dashboard needs a terminal, and stdin or stdout is not one.',
      'Run `claude-tui` in a terminal; scripts use the subcommands (claude-tui --help).',
    );
  }
  const { createHostDomain } = await import('../ui/host-domain.js');
  // Projects are named by their real path: the start folder is compared with them the same way.
  const startDir = realFolder(context.cwd);
  const domain = createHostDomain(context, terminal, {
    cliPath: process.argv[1]!,
    cwd: context.cwd,
    startDir,
  });
  // The first look is sent, and mostly answered, before the screen's code loads: loading it keeps
  // Node busy for a tenth of a second or more, in which no answer is read (a remote Engine's
  // handshake, the preview's exec would each wait it out). Not waited for longer than that.
  let wait: NodeJS.Timeout | undefined;
  await Promise.race([
    domain.firstLook,
    new Promise((resolve) => (wait = setTimeout(resolve, FIRST_LOOK_WAIT_MS))),
  ]);
  clearTimeout(wait);
  const { runDashboard } = await withoutFetch(() => import('../ui/run-dashboard.js'));
  return runDashboard(context, terminal, domain, startDir);
}

/**
 * Runs `load` with no global fetch. Ink's layout engine loads its WebAssembly, which it carries
 * inline, through fetch() when there is one, and Node's first fetch() loads its whole HTTP client
 * (some 50 ms of the dashboard's start); without it, the inline copy is decoded directly. Node
 * defines fetch lazily, so its definition is put back as it was, still unloaded.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const fetchDefinition = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!fetchDefinition?.configurable) return load();
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetchDefinition);
  }
}
