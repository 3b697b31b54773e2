import { useEffect, useState } from 'react';
import type { DashboardDomain } from '../dashboard-domain.js';

/**
 * The selected session's screen, from its tmux pane: the container looks four times a second and
 * sends it only when it changed. Following stops while the preview is hidden (another screen, an
 * attach) and starts again at once when it shows.
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
    const follower = domain.followScreen(projectDir, session, (screen) =>
      setText((previous) => (previous === screen ? previous : screen)),
    );
    return () => follower.stop();
  }, [domain, projectDir, session, visible]);
  return text;
}
