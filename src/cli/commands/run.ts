import { runSession, type RunResult, type StartedRun } from '../../app/run-session.js';
import { credentialFromEnv, credentialKind, type Credential } from '../../auth/credential.js';
import { tokenFromStdin } from './token-input.js';
import { UsageError, UserError } from '../../errors.js';
import { formatBytes } from '../../project/format-bytes.js';
import { locateProject } from '../../project/locate.js';
import type { CommandHandler } from '../command-table.js';
import type { CommandContext } from '../context.js';

/** The exit code of a run the person interrupted, as a shell reports a command killed by it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `run [DIR] [--git] [--name NAME] -- ARGS`: a session run to its end for scripts and CI. Notes go
 * to stderr; stdout carries only the transcript (or the JSON), and the exit code is the agent's.
 */
export const runCommand: CommandHandler = async (ctx) => {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length)
    throw new UsageError(`Unexpected argument "${extra[0]}".`, 'Agent arguments go after `--`.');
  const { flags } = ctx.args;
  if (!flags.git && (flags.from || flags['include-changes'])) {
    throw new UsageError('--from and --include-changes are for git sessions.', 'Add --git.');
  }
  const project = locateProject(dir, ctx.cwd);
  const credential = await credentialForThisRun(ctx);
  const where = dir ? ` --project ${project.dir}` : '';
  const signals = interruptions();
  let result: RunResult;
  try {
    result = await runSession(ctx, project, {
      ...(typeof flags.name === 'string' ? { name: flags.name } : {}),
      ...(flags.git
        ? {
            git: {
              ...(typeof flags.from === 'string' ? { from: flags.from } : {}),
              includeChanges: Boolean(flags['include-changes']),
            },
          }
        : {}),
      agentArgs: ctx.args.rest,
      ...(credential ? { credential } : {}),
      size: paneSize(ctx.terminal.stdout, ctx.env),
      cliPath: process.argv[1]!,
      stop: signals.stop,
      giveUp: signals.giveUp,
      onStarted: (started) => {
        ctx.out.note(startedNote(started));
        signals.onFirst(() => ctx.out.note(`Stopping ${started.name} (once more to stop waiting).`));
      },
    });
  } catch (error) {
    if (signals.giveUp.aborted) return SIGNAL_EXIT[signals.received()] ?? 130;
    throw error;
  } finally {
    signals.dispose();
  }
  if (flags.json) {
    ctx.out.json({
      project: project.dir,
      session: result.name,
      kind: result.kind,
      command: result.command,
      exitCode: result.exitCode,
      interrupted: result.interrupted,
      transcript: result.transcript,
    });
  } else {
    ctx.terminal.stdout.write(result.transcript);
  }
  if (result.skipped) {
    ctx.out.note(
      `The transcript was longer: its first ${formatBytes(result.skipped)} are left out (claude-tui logs ${result.name} --raw${where} has all of it).`,
    );
  }
  return finish(ctx, result, where, signals.received());
};

function startedNote(started: StartedRun): string {
  const command = started.command.join(' ');
  if (!started.git) return `Session ${started.name} runs ${command}; waiting for it to end.`;
  const { git } = started;
  const from = git.cloned
    ? `a clone of ${git.branch ?? 'the repository'} at ${git.base.slice(0, 12)}`
    : 'its kept clone';
  return `Git session ${started.name} runs ${command} on ${from}; waiting for it to end.`;
}

/** The note on how it ended, and the exit code: the agent's own, 130 or 143 when interrupted. */
function finish(ctx: CommandContext, result: RunResult, where: string, signal: string): number {
  const next =
    result.kind === 'git'
      ? `Its clone stays: see its commits with \`claude-tui log ${result.name}${where}\`, land them with \`claude-tui merge ${result.name}${where}\`.`
      : `\`claude-tui logs ${result.name}${where}\` prints its transcript again.`;
  if (result.exitCode !== null) {
    ctx.out.note(`${result.name}: the agent exited with code ${result.exitCode}. ${next}`);
    return result.exitCode;
  }
  if (result.interrupted) {
    ctx.out.note(`${result.name}: stopped before the agent exited. ${next}`);
    return SIGNAL_EXIT[signal] ?? 130;
  }
  throw new UserError(
    `The session ${result.name} was stopped before the agent exited (\`claude-tui stop\`, \`down\`, or its container restarting).`,
    next,
  );
}

/**
 * The pane's size: the terminal's when stdout is one; otherwise COLUMNS and LINES when set, else
 * 200x50 (wide, so that little wraps; the transcript joins wrapped lines anyway).
 */
export function paneSize(
  stdout: { isTTY?: boolean; columns?: number; rows?: number },
  env: NodeJS.ProcessEnv,
): { cols: number; rows: number } {
  if (stdout.isTTY && stdout.columns && stdout.rows) return { cols: stdout.columns, rows: stdout.rows };
  const read = (value: string | undefined, min: number, max: number, fallback: number) => {
    const number = /^\d+$/.test(value ?? '') ? Number(value) : NaN;
    return number >= min ? Math.min(number, max) : fallback;
  };
  return { cols: read(env.COLUMNS, 20, 1000, 200), rows: read(env.LINES, 5, 500, 50) };
}

/**
 * Ctrl+C (or SIGTERM) while a run waits: the first stops the session and still prints what it
 * printed; a second one stops waiting at once.
 */
function interruptions() {
  const stop = new AbortController();
  const giveUp = new AbortController();
  let received = '';
  let onFirst = () => undefined as void;
  const handler = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return giveUp.abort();
    received = signal;
    onFirst();
    stop.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: stop.signal,
    giveUp: giveUp.signal,
    received: () => received,
    onFirst: (note: () => void) => (onFirst = note),
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** A token brought for this run (CI): used for its session only, never stored. */
async function credentialForThisRun(ctx: CommandContext): Promise<Credential | undefined> {
  const { flags } = ctx.args;
  if (flags['token-stdin'] && flags['from-env']) {
    throw new UsageError('--token-stdin and --from-env cannot be used together.');
  }
  const brought = flags['token-stdin']
    ? { value: await tokenFromStdin(ctx), from: 'token-stdin' as const }
    : flags['from-env']
      ? credentialFromEnv('claude', ctx.env)
      : undefined;
  if (!brought) return undefined;
  return {
    ...brought,
    kind: credentialKind('claude', brought.value),
    scope: 'this-run',
    savedAt: new Date().toISOString(),
  };
}
