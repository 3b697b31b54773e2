import type { DockerEngine } from '../docker/engine.js';
import type { ProjectIdentity } from '../project/identity.js';
import type { PaneSizeFrom } from './render-transcript.js';
import type { SessionInfo } from './session-state.js';
import { asClaude, SESSIONS_DIR } from './sessions.js';

/**
 * A session's transcript in the home volume: every byte the agent printed, as tmux's pipe-pane
 * recorded it (empty before the first). It outlives the session.
 */
export async function readTranscript(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
): Promise<Buffer> {
  const result = await engine.execBytes(
    project.names.agent,
    ['cat', `${SESSIONS_DIR}/${name}/transcript`],
    asClaude,
  );
  return result.exitCode === 0 ? result.stdout : Buffer.alloc(0);
}

/**
 * The pane's size over the transcript, as the session script recorded it at the start and on each
 * resize. A session started by an older image has no record: a running one's pane tells its
 * size now; for an ended one the renderer's default stands.
 */
export async function readPaneSizes(
  engine: DockerEngine,
  project: ProjectIdentity,
  session: Pick<SessionInfo, 'name' | 'running'>,
): Promise<PaneSizeFrom[]> {
  const recorded = await engine.exec(
    project.names.agent,
    ['cat', `${SESSIONS_DIR}/${session.name}/sizes`],
    asClaude,
  );
  const sizes = recorded.exitCode === 0 ? parsePaneSizes(recorded.stdout) : [];
  if (sizes.length || !session.running) return sizes;
  const pane = await engine.exec(
    project.names.agent,
    ['tmux', 'display-message', '-p', '-t', `=${session.name}:`, '0 #{pane_width} #{pane_height}'],
    asClaude,
  );
  return pane.exitCode === 0 ? parsePaneSizes(pane.stdout) : [];
}

/** Lines of "<byte offset> <cols> <rows>"; a torn or garbled line is skipped. */
export function parsePaneSizes(text: string): PaneSizeFrom[] {
  const sizes: PaneSizeFrom[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+) (\d+) (\d+)$/.exec(line.trim());
    if (!match) continue;
    const [offset, cols, rows] = match.slice(1).map(Number) as [number, number, number];
    if (cols > 0 && rows > 0) sizes.push({ offset, cols, rows });
  }
  return sizes;
}
