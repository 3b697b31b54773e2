import { loadProjectConfig } from '../../config/load-project-config.js';
import { UsageError, UserError } from '../../errors.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { locateProject } from '../../project/locate.js';
import { readFirewallStatus } from '../../firewall/gateway-control.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import { agentCommand } from '../../session/agent-command.js';
import { ensureWatcher } from '../../session/watcher-process.js';
import { nextSessionName, validateSessionName } from '../../session/session-names.js';
import {
  listSessions,
  peekSession,
  sessionTranscript,
  startSession,
  stopSession,
} from '../../session/sessions.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';
import { assertAgentUp } from './project-argument.js';

/** `NAME [--project DIR]` for the commands that act on one session. */
export function sessionArgument(ctx: CommandContext): { project: ProjectIdentity; name: string } {
  const [name, ...extra] = ctx.args.positionals;
  if (!name) throw new UsageError('Name the session.', 'See `claude-tui sessions` for their names.');
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Pass the project with --project DIR.');
  const dir = typeof ctx.args.flags.project === 'string' ? ctx.args.flags.project : undefined;
  return { project: locateProject(dir, ctx.cwd), name: validateSessionName(name) };
}

export const startCommand: CommandHandler = async (ctx) => {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Agent arguments go after `--`.');
  const project = locateProject(dir ?? (ctx.args.flags.project as string | undefined), ctx.cwd);
  await assertAgentUp(ctx, project);
  const firewall = await readFirewallStatus(ctx.engine, project.names.gateway);
  if (!firewall.startsWith('protected') && !firewall.startsWith('off')) {
    throw new UserError(
      `Not starting a session: the project's firewall is ${firewall}.`,
      'Fix the reason above (claude-tui status, claude-tui allow apply), or turn the firewall off in the project config.',
    );
  }
  const config = await loadProjectConfig(project.dir);
  const existing = (await listSessions(ctx.engine, project)).map((s) => s.name);
  const requested = typeof ctx.args.flags.name === 'string' ? ctx.args.flags.name : undefined;
  const name = requested ? validateSessionName(requested) : nextSessionName(existing);
  const command = agentCommand(config, ctx.args.rest, ctx.env);
  const size = { cols: ctx.terminal.stdout.columns || 120, rows: ctx.terminal.stdout.rows || 40 };
  await startSession(ctx.engine, project, name, command, size);
  // Notifications must reach the person while nothing of claude-tui is open.
  await ensureWatcher(
    ctx.processes,
    projectStateDir(project, ctx.env),
    project.dir,
    process.argv[1]!,
    ctx.env,
  );
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, session: name, command });
    return;
  }
  ctx.out.line(`Started session ${name} (${command.join(' ')}).`);
  ctx.out.line(`Attach with \`claude-tui attach ${name}${dir ? ` --project ${project.dir}` : ''}\`.`);
};

export const sessionsCommand: CommandHandler = async (ctx) => {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const project = locateProject(dir, ctx.cwd);
  await assertAgentUp(ctx, project);
  const sessions = await listSessions(ctx.engine, project);
  if (ctx.args.flags.json) {
    ctx.out.json(sessions);
    return;
  }
  if (!sessions.length) {
    ctx.out.line('No sessions. Start one with `claude-tui start`.');
    return;
  }
  const age = (iso: string | null) => (iso ? ago(Date.now() - Date.parse(iso)) : '-');
  ctx.out.table(
    ['NAME', 'STATE', 'FROM', 'AGE', 'LAST OUTPUT'],
    sessions.map((s) => [
      s.name,
      s.state === 'exited' && s.exitCode !== null ? `exited (${s.exitCode})` : s.state,
      s.source,
      age(s.created),
      age(s.lastActivity),
    ]),
  );
};

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export const stopCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  await assertAgentUp(ctx, project);
  await stopSession(ctx.engine, project, name);
  ctx.out.line(`Stopped session ${name}.`);
};

export const peekCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  await assertAgentUp(ctx, project);
  process.stdout.write(await peekSession(ctx.engine, project, name));
};

export const logsCommand: CommandHandler = async (ctx) => {
  const { project, name } = sessionArgument(ctx);
  await assertAgentUp(ctx, project);
  process.stdout.write(await sessionTranscript(ctx.engine, project, name));
};
