import { text } from 'node:stream/consumers';
import { UserError } from '../../errors.js';
import type { CommandContext } from '../context.js';

/** Reads a token piped in; a terminal would echo it, so one is refused. */
export async function tokenFromStdin(ctx: CommandContext): Promise<string> {
  if (ctx.terminal.stdin.isTTY) {
    throw new UserError(
      '--token-stdin reads the token from a pipe, and stdin is a terminal (it would show the token as you type).',
      'Pipe it in: printf %s "$TOKEN" | claude-tui login --token-stdin',
    );
  }
  const value = (await text(ctx.terminal.stdin)).trim();
  if (!value)
    throw new UserError(
      'Nothing came in on stdin.',
      'Pipe the token in: printf %s "$TOKEN" | claude-tui login --token-stdin',
    );
  return value;
}
