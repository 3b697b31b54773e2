import type { DockerEngine } from '../docker/engine.js';
import type { ProjectIdentity } from '../project/identity.js';
import { followScreen } from '../session/follow-screen.js';
import { sessionListNow } from '../session/session-feed.js';
import { parseSessionList } from '../session/session-state.js';
import { sessionTarget, workspaceTarget } from '../session/session-target.js';

/**
 * The preview the dashboard opens on, asked for while the screen's code still loads: the start
 * project's first running session (the one selected first), named by the session feed its
 * background watcher keeps on this host. Reading a pane takes an exec in the container, the
 * slowest step of the first full frame; begun here, it runs beside the loading instead of after
 * it. The screens are handed over once, to a request for that very session within `freshForMs`;
 * any other request, or none in time, stops it.
 */
export interface ScreenAhead {
  /** That session's screens from here on (the latest one at once), or undefined: ask as usual. */
  take(
    projectDir: string,
    session: string,
    onScreen: (text: string) => void,
  ): { stop: () => void } | undefined;
  /** Settles once the pane is being read (its exec runs), or nothing will be. */
  ready: Promise<void>;
}

export function screenAhead(
  engine: DockerEngine,
  project: ProjectIdentity,
  stateDir: string,
  freshForMs = 3000,
): ScreenAhead {
  let session: string | undefined;
  let latest: string | undefined;
  let listener: ((text: string) => void) | undefined;
  let follower: { stop: () => void } | undefined;
  let over = false;
  const stop = () => {
    over = true;
    follower?.stop();
  };
  const expiry = setTimeout(() => listener ?? stop(), freshForMs);
  expiry.unref();

  const ready = (async () => {
    const list = sessionListNow(stateDir);
    if (list === undefined) return;
    const first = parseSessionList(list, Date.now())[0];
    if (!first?.running) return;
    session = first.name;
    // A session the list calls a workspace one runs in the agent container: no git session's
    // container to look for first (were the list wrong, the pane read would say the session ended).
    const target =
      first.kind === 'git' ? await sessionTarget(engine, project, first.name) : workspaceTarget(project);
    if (over) return;
    const following = followScreen(engine, target, first.name, (text) => {
      latest = text;
      listener?.(text);
    });
    following.done.catch(() => undefined);
    follower = following;
    await following.started;
  })().catch(() => stop());

  return {
    ready,
    take(projectDir, name, onScreen) {
      if (over || listener || projectDir !== project.dir || name !== session) {
        if (!listener) stop();
        return undefined;
      }
      clearTimeout(expiry);
      listener = onScreen;
      if (latest !== undefined) onScreen(latest);
      return { stop };
    },
  };
}
