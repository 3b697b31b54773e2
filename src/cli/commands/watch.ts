import { mkdir } from 'node:fs/promises';
import { watchWorkspace } from '../../app/watch-workspace.js';
import { UsageError, UserError } from '../../errors.js';
import { log } from '../../log.js';
import { locateProject } from '../../project/locate.js';
import { projectStateDir } from '../../project/project-state-dir.js';
import { createNotifiers, describeEvent, notifyAll, twilioAuthToken } from '../../session/notify.js';
import { sessionFeedWriter } from '../../session/session-feed.js';
import { isNotable, watchSessions } from '../../session/watch-sessions.js';
import { claimWatcher } from '../../session/watcher-process.js';
import type { CommandHandler } from '../command-table.js';
import { assertAgentUp } from './project-argument.js';

/** How long a background watcher stays once no session is running. */
const IDLE_EXIT_MS = 60_000;

export const watchCommand: CommandHandler = async (ctx) => {
  const [dir, ...extra] = ctx.args.positionals;
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const project = locateProject(dir, ctx.cwd);
  await assertAgentUp(ctx, project);
  const background = ctx.args.flags.background === true;
  const settings = await ctx.settings.read();
  const notifiers = createNotifiers(settings.notifications, {
    processes: ctx.processes,
    env: ctx.env,
    twilioAuthToken: await smsToken(settings.notifications?.sms, ctx.env, background),
    bell: !background && ctx.terminal.stderr.isTTY ? () => ctx.terminal.stderr.write('\x07') : undefined,
  });
  const stateDir = projectStateDir(project, ctx.env);
  await mkdir(stateDir, { recursive: true });
  const release = background ? await claimWatcher(stateDir) : () => Promise.resolve();
  // The background watcher is the one per project: it passes each list on to the dashboards.
  const feed = background ? sessionFeedWriter(stateDir) : undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const watcher = watchSessions(
    ctx.engine,
    project,
    (change) => {
      const { session } = change;
      const event = {
        project: project.dir,
        projectName: project.name,
        session: session.name,
        state: session.state,
        exitCode: session.exitCode,
        at: new Date().toISOString(),
      };
      log.info('session state', { ...event, source: session.source, from: change.from });
      if (!background) ctx.out.line(`${event.at}  ${session.name}  ${session.state} (${session.source})`);
      if (isNotable(change)) {
        if (!background) ctx.out.note(describeEvent(event));
        void notifyAll(notifiers, event);
      }
    },
    (sessions) => {
      if (!background) return;
      const anyRunning = sessions.some((s) => s.running);
      if (anyRunning && idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = undefined;
      } else if (!anyRunning && !idleTimer) {
        idleTimer = setTimeout(() => watcher.stop(), IDLE_EXIT_MS);
      }
    },
    (listText) => feed?.publish(listText),
  );
  // The workspace too: a policy change waiting, files that run on the host changed.
  const workspace = watchWorkspace(ctx, project, (event) => {
    log.info('workspace change', { ...event });
    if (!background) ctx.out.note(describeEvent(event));
    void notifyAll(notifiers, event);
  });
  const stop = () => watcher.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await watcher.done.catch((error: unknown) => log.warn('watch ended', { error: String(error) }));
  if (idleTimer) clearTimeout(idleTimer);
  workspace.stop();
  await feed?.close();
  await release();
};

/**
 * A secrets file that cannot be used stops `watch` in a terminal, where the person reads why; the
 * background watcher, which nobody reads, goes on without SMS and says why in the log.
 */
async function smsToken(
  sms: Parameters<typeof twilioAuthToken>[0],
  env: NodeJS.ProcessEnv,
  background: boolean,
): Promise<string | undefined> {
  try {
    return await twilioAuthToken(sms, env);
  } catch (error) {
    if (!background || !(error instanceof UserError)) throw error;
    log.warn('no SMS notifications: the Twilio auth token cannot be read', { reason: error.message });
    return undefined;
  }
}
