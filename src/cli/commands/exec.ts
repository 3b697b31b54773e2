import { UsageError, UserError } from '../../errors.js';
import { assertAgentRunning, dockerExecArgs } from '../../project/agent-exec.js';
import type { CommandContext } from '../context.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './shared.js';

async function runInAgent(ctx: CommandContext, command: string[]): Promise<number> {
  const project = projectArgument(ctx);
  await assertAgentRunning(ctx.engine, project);
  const args = dockerExecArgs(project, command, {
    stdinIsTTY: ctx.stdin.isTTY,
    stdoutIsTTY: ctx.stdout.isTTY,
    term: ctx.env.TERM,
  });
  return ctx.processes.runInteractive('docker', args);
}

export const execCommand: CommandHandler = (ctx) => {
  if (!ctx.args.rest.length) {
    throw new UsageError('exec needs a command after `--`.', 'Example: claude-tui exec -- git status');
  }
  return runInAgent(ctx, ctx.args.rest);
};

export const shellCommand: CommandHandler = (ctx) => {
  if (!ctx.stdin.isTTY || !ctx.stdout.isTTY) {
    throw new UserError(
      'shell needs a terminal, and stdin or stdout is not one.',
      'Run it from a terminal, or use `claude-tui exec -- COMMAND` in scripts.',
    );
  }
  return runInAgent(ctx, ctx.args.rest.length ? ctx.args.rest : ['bash', '-l']);
};
