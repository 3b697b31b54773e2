import type { DockerEngine } from '../docker/engine.js';
import { streamRecords } from '../project/agent-exec.js';
import type { SessionTarget } from './session-target.js';

/** Ends each screen in the stream: a form feed on a line of its own, which a pane never prints. */
const SCREEN_END = '\n\f\n';

/**
 * Reads the pane four times a second inside the session's container and prints it only when it changed, so
 * an idle preview costs the dashboard nothing. Every 2 s it makes sure someone still reads: the
 * Engine closes the exec's stdin when the dashboard's connection ends.
 */
const FOLLOW_SCRIPT = `last=''; beat=0

while :; do
  now=$(tmux capture-pane -p -t "=$1:" 2>&1) || now="(the session has ended)"
  if [ "$now" != "$last" ]; then printf '%s\\n\\f\\n' "$now" || exit 0; last=$now; fi
  if [ $((beat += 1)) -ge 8 ]; then
    beat=0
    if [ -p /dev/stdin ] && read -r -t 0 -u 0; then read -r -t 1 -u 0 _; [ $? -eq 1 ] && exit 0; fi
  fi
  sleep 0.25
done`;

/**
 * Follows a session's screen as text: `onScreen` hears the pane at once and then each time it
 * changes. One exec for as long as it is followed, instead of one per look.
 */
export function followScreen(
  engine: DockerEngine,
  target: SessionTarget,
  name: string,
  onScreen: (text: string) => void,
): { done: Promise<void>; started: Promise<void>; stop: () => void } {
  return streamRecords(
    engine,
    { container: target.container, workingDir: target.workdir },
    ['bash', '-c', FOLLOW_SCRIPT, 'follow-screen', name],
    SCREEN_END,
    (screen) => onScreen(screen.replace(/\n+$/, '') + '\n'),
  );
}
