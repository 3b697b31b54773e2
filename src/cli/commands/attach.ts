import { attachSession } from '../../session/attach-session.js';
import type { CommandHandler } from '../command-table.js';
import { sessionArgument } from './sessions.js';

export const attachCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  const report = await attachSession(
    { engine: ctx.engine, env: ctx.env },
    project,
    name,
    { stdin: ctx.terminal.stdin, stdout: ctx.terminal.stdout },
    await ctx.settings.read(),
  );
  const again = `Reattach with \`claude-tui attach ${name}\`.`;
  ctx.out.note(report.message.endsWith('keeps running.') ? `${report.message} ${again}` : report.message);
  await report.closed;
  return report.exitCode;
};
