import { UserError } from '../../errors.js';
import { AGENT_USER } from '../../project/container-specs.js';
import { attachTerminal } from '../../session/attach.js';
import { DEFAULT_DETACH_KEY, parseDetachKey } from '../../session/detach-key.js';
import { describeEnd, findSession, SESSION_SCRIPT } from '../../session/sessions.js';
import { loadPtySpawner } from '../../system/pty.js';
import type { CommandHandler } from '../command-table.js';
import { agentUnavailable } from '../../project/agent-exec.js';
import { sessionArgument } from './sessions.js';

export const attachCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  const { stdin, stdout } = ctx.terminal;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new UserError(
      'attach needs a terminal, and stdin or stdout is not one.',
      `Run it from a terminal; in scripts, \`claude-tui peek ${name}\` shows the screen.`,
    );
  }
  const settings = await ctx.settings.read();
  const detachKey = parseDetachKey(ctx.env.CLAUDE_TUI_DETACH_KEY ?? settings.detachKey ?? DEFAULT_DETACH_KEY);
  const term = ctx.env.TERM ?? 'xterm-256color';
  const args = ['exec', '-it', '-u', AGENT_USER, '-e', `TERM=${term}`];
  if (ctx.env.COLORTERM) args.push('-e', `COLORTERM=${ctx.env.COLORTERM}`);
  args.push(
    project.names.agent,
    SESSION_SCRIPT,
    'attach',
    name,
    String(stdout.rows || 24),
    String(stdout.columns || 80),
  );
  const outcome = await attachTerminal(
    await loadPtySpawner(),
    { file: 'docker', args, env: { ...ctx.env, TERM: term } },
    { stdin, stdout },
    detachKey,
  );
  if (outcome.reason === 'detached') {
    ctx.out.note(`Detached from ${name}; it keeps running. Reattach with \`claude-tui attach ${name}\`.`);
    await outcome.closed;
    return 0;
  }
  // Nothing was checked before attaching (that would cost the person time on every attach):
  // an attach that ended says now why.
  const problem = await agentUnavailable(ctx.engine, project);
  if (problem) throw problem;
  const after = await findSession(ctx.engine, project, name);
  if (!after.running) {
    ctx.out.note(`Session ${name} ended: ${describeEnd(after)}.`);
    return after.exitCode ?? 0;
  }
  if (outcome.exitCode === 0) {
    ctx.out.note(
      `The connection to ${name} closed; the session keeps running. Reattach with \`claude-tui attach ${name}\`.`,
    );
    return 0;
  }
  throw new UserError(
    `The connection to ${name} closed (exit ${outcome.exitCode}).`,
    'Check `claude-tui status`.',
  );
};
