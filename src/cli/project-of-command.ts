import type { ParsedArgs } from './args.js';

type Where = (args: ParsedArgs) => string | undefined | null;

const flag = (args: ParsedArgs) => (typeof args.flags.project === 'string' ? args.flags.project : undefined);
/** `[DIR]`, or `--project DIR` where the command takes both. */
const dirArgument: Where = (args) => args.positionals[0] ?? flag(args);
/** A session's NAME first: the project is `--project DIR`, else the current folder. */
const projectFlag: Where = flag;
/** Only with `--project`: otherwise the command is about no one project. */
const onlyWithFlag: Where = (args) => flag(args) ?? null;

/**
 * Where each command that acts on one project finds it, so that it runs on the Engine that
 * project lives on (project-engine.ts). undefined: the current folder; null: no one project (the
 * command uses the Engine chosen for it, as `ls` and `volumes` do).
 */
const PROJECT_OF: Record<string, Where> = {
  ...Object.fromEntries(
    ['up', 'down', 'compose', 'status', 'approve', 'start', 'run', 'sessions', 'watch']
      .concat(['ssh-relay', 'bridge-relay', 'shell', 'exec', 'build', 'doctor'])
      .map((name) => [name, dirArgument]),
  ),
  ...Object.fromEntries(
    ['log', 'diff', 'merge', 'attach', 'peek', 'logs', 'stop'].map((name) => [name, projectFlag]),
  ),
  ...Object.fromEntries(['login', 'logout', 'whoami', 'cleanup'].map((name) => [name, onlyWithFlag])),
  allow: (args) =>
    ['add', 'rm'].includes(args.positionals[0] ?? '') ? flag(args) : (args.positionals[1] ?? flag(args)),
};

export function projectOfCommand(name: string, args: ParsedArgs): string | undefined | null {
  const where = PROJECT_OF[name];
  return where ? where(args) : null;
}
