import { useEffect, useState } from 'react';
import type { DashboardDomain } from '../dashboard-domain.js';

/** A few times a second, and only while the preview is on screen. */
const PREVIEW_EVERY_MS = 250;

/**
 * The selected session's screen, read from its tmux pane. Reading stops while the preview is
 * hidden (another screen, an attach), and starts again at once when it shows.
 */
export function usePreview(
  domain: DashboardDomain,
  target: { projectDir: string; session: string } | null,
  visible: boolean,
): string | null {
  const [text, setText] = useState<string | null>(null);
  const projectDir = target?.projectDir;
  const session = target?.session;
  useEffect(() => {
    if (!projectDir || !session) {
      setText(null);
      return;
    }
    if (!visible) return;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const read = () => {
      domain.peekSession(projectDir, session).then(
        (screen) => {
          if (stopped) return;
          setText((previous) => (previous === screen ? previous : screen));
          timer = setTimeout(read, PREVIEW_EVERY_MS);
        },
        (error: unknown) => {
          if (stopped) return;
          setText(`(${error instanceof Error ? error.message : String(error)})`);
          timer = setTimeout(read, PREVIEW_EVERY_MS * 4);
        },
      );
    };
    read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [domain, projectDir, session, visible]);
  return text;
}
