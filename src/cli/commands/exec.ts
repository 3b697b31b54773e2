import { UsageError, UserError } from '../../errors.js';
import { execInAgent } from '../../project/agent-exec.js';
import type { CommandContext } from '../context.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';

function runInAgent(ctx: CommandContext, command: string[]): Promise<number> {
  return execInAgent(ctx.engine, projectArgument(ctx), command, ctx.terminal, ctx.env);
}

export const execCommand: CommandHandler = (ctx) => {
  if (!ctx.args.rest.length) {
    throw new UsageError('exec needs a command after `--`.', 'Example: claude-tui exec -- git status');
  }
  return runInAgent(ctx, ctx.args.rest);
};

export const shellCommand: CommandHandler = (ctx) => {
  if (!ctx.terminal.stdin.isTTY || !ctx.terminal.stdout.isTTY) {
    throw new UserError(
      'shell needs a terminal, and stdin or stdout is not one.',
      'Run it from a terminal, or use `claude-tui exec -- COMMAND` in scripts.',
    );
  }
  return runInAgent(ctx, ctx.args.rest.length ? ctx.args.rest : ['bash', '-l']);
};
