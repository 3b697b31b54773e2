import { UsageError } from '../../errors.js';
import type { ProjectIdentity } from '../../project/identity.js';
import { locateProject } from '../../project/locate.js';
import { ago, stateLabel } from '../../session/describe-session.js';
import { validateSessionName } from '../../session/session-names.js';
import { startAgentSession } from '../../session/start-agent-session.js';
import { startGitSession } from '../../app/start-git-session.js';
import { findSession, listSessions, peekSession, stopSession } from '../../session/sessions.js';
import { formatBytes } from '../../project/format-bytes.js';
import {
  readPaneSizes,
  readTranscript,
  readTranscriptTail,
  RENDERED_TAIL_BYTES,
  sizesAfter,
} from '../../session/transcript.js';
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
  if (ctx.args.flags.git) return startGit(ctx, project, dir);
  if (ctx.args.flags.from || ctx.args.flags['include-changes']) {
    throw new UsageError('--from and --include-changes are for git sessions.', 'Add --git.');
  }
  const { name, command } = await startAgentSession(ctx, project, {
    name: typeof ctx.args.flags.name === 'string' ? ctx.args.flags.name : undefined,
    agentArgs: ctx.args.rest,
    size: { cols: ctx.terminal.stdout.columns || 120, rows: ctx.terminal.stdout.rows || 40 },
    cliPath: process.argv[1]!,
  });
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, session: name, command });
    return;
  }
  ctx.out.line(`Started session ${name} (${command.join(' ')}).`);
  ctx.out.line(`Attach with \`claude-tui attach ${name}${dir ? ` --project ${project.dir}` : ''}\`.`);
};

async function startGit(
  ctx: CommandContext,
  project: ProjectIdentity,
  dir: string | undefined,
): Promise<void> {
  const from = ctx.args.flags.from;
  const result = await startGitSession(ctx, project, {
    name: typeof ctx.args.flags.name === 'string' ? ctx.args.flags.name : undefined,
    ...(typeof from === 'string' ? { from } : {}),
    includeChanges: Boolean(ctx.args.flags['include-changes']),
    agentArgs: ctx.args.rest,
    size: { cols: ctx.terminal.stdout.columns || 120, rows: ctx.terminal.stdout.rows || 40 },
    cliPath: process.argv[1]!,
  });
  if (ctx.args.flags.json) {
    ctx.out.json({ project: project.dir, session: result.name, kind: 'git', ...result });
    return;
  }
  const short = result.base.slice(0, 12);
  if (result.cloned) {
    ctx.out.line(
      `Started git session ${result.name} on a clone of ${result.branch ?? 'the repository'} at ${short} (${result.command.join(' ')}).`,
    );
    const count = result.uncommitted.length;
    if (result.changesIncluded) ctx.out.line(`Your ${count} uncommitted changed files are its first commit.`);
    else if (count) {
      ctx.out.line(
        `Your ${count} uncommitted changed files were not carried over (--include-changes carries them).`,
      );
    } else ctx.out.line('There were no uncommitted changes to carry over.');
  } else {
    ctx.out.line(`Started git session ${result.name} again, in its clone (from ${short}).`);
  }
  const where = dir ? ` --project ${project.dir}` : '';
  ctx.out.line(
    `Attach with \`claude-tui attach ${result.name}${where}\`; see its commits with \`claude-tui log ${result.name}${where}\`.`,
  );
}

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
  ctx.out.table(
    ['NAME', 'KIND', 'STATE', 'FROM', 'AGE', 'LAST OUTPUT'],
    sessions.map((s) => [
      s.name,
      s.kind === 'git' ? 'git' : 'folder',
      stateLabel(s),
      s.source,
      ago(s.created),
      ago(s.lastActivity),
    ]),
  );
};

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
  const session = await findSession(ctx.engine, project, name);
  if (ctx.args.flags.raw) {
    ctx.terminal.stdout.write(await readTranscript(ctx.engine, project, name));
    return;
  }
  // The terminal emulator is loaded only here, while the container is asked.
  const [{ bytes, skipped }, sizes, { renderTranscript }] = await Promise.all([
    readTranscriptTail(ctx.engine, project, name, RENDERED_TAIL_BYTES),
    readPaneSizes(ctx.engine, project, session),
    import('../../session/render-transcript.js'),
  ]);
  if (skipped) {
    ctx.out.note(
      `The transcript is ${formatBytes(skipped + bytes.length)}: only its last ${formatBytes(bytes.length)} are shown (logs --raw prints all of it).`,
    );
  }
  ctx.terminal.stdout.write(await renderTranscript(bytes, sizesAfter(sizes, skipped)));
};
