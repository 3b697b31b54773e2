import type { DockerEngine } from '../docker/engine.js';
import type { ProjectIdentity } from '../project/identity.js';
import type { PaneSizeFrom } from './render-transcript.js';
import type { SessionInfo } from './session-state.js';
import { asClaude, SESSIONS_DIR } from './sessions.js';
import { execBytes, execText } from '../docker/exec.js';

/**
 * A session's transcript in the home volume: every byte the agent printed, as tmux's pipe-pane
 * recorded it (empty before the first). It outlives the session.
 */
export async function readTranscript(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
): Promise<Buffer> {
  const result = await execBytes(
    engine,
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
  const recorded = await execText(
    engine,
    project.names.agent,
    ['cat', `${SESSIONS_DIR}/${session.name}/sizes`],
    asClaude,
  );
  const sizes = recorded.exitCode === 0 ? parsePaneSizes(recorded.stdout) : [];
  if (sizes.length || !session.running) return sizes;
  const pane = await execText(
    engine,
    project.names.agent,
    ['tmux', 'display-message', '-p', '-t', `=${session.name}:`, '0 #{pane_width} #{pane_height}'],
    asClaude,
  );
  return pane.exitCode === 0 ? parsePaneSizes(pane.stdout) : [];
}

/**
 * The file is in the home volume, which the agent can write: sizes are kept to what a terminal
 * can be, and only so many resizes are read, so a forged file cannot make the host render a
 * terminal of a billion cells.
 */
const MAX_COLS = 1000;
const MAX_ROWS = 500;
const MAX_RESIZES = 10_000;

/** Lines of "<byte offset> <cols> <rows>"; a torn or garbled line is skipped. */
export function parsePaneSizes(text: string): PaneSizeFrom[] {
  const sizes: PaneSizeFrom[] = [];
  for (const line of text.split('\n')) {
    if (sizes.length >= MAX_RESIZES) break;
    const match = /^(\d+) (\d+) (\d+)$/.exec(line.trim());
    if (!match) continue;
    const [offset, cols, rows] = match.slice(1).map(Number) as [number, number, number];
    if (cols > 0 && rows > 0)
      sizes.push({ offset, cols: Math.min(cols, MAX_COLS), rows: Math.min(rows, MAX_ROWS) });
  }
  return sizes;
}

/**
 * Rendering keeps the text it prints in memory: a transcript larger than this (hours of output,
 * or one the agent padded on purpose) is rendered from where its last this-many bytes begin.
 */
export const RENDERED_TAIL_BYTES = 64 * 1024 * 1024;

/** The transcript's last `maxBytes`, and how many bytes came before them (left out). */
export async function readTranscriptTail(
  engine: DockerEngine,
  project: ProjectIdentity,
  name: string,
  maxBytes: number,
): Promise<{ bytes: Buffer; skipped: number }> {
  const result = await execBytes(
    engine,
    project.names.agent,
    [
      'sh',
      '-c',
      's=$(stat -c %s "$1") || exit 1; echo "$s"; tail -c "$2" "$1"',
      'sh',
      `${SESSIONS_DIR}/${name}/transcript`,
      String(maxBytes),
    ],
    asClaude,
  );
  const newline = result.stdout.indexOf(10);
  if (result.exitCode !== 0 || newline < 0) return { bytes: Buffer.alloc(0), skipped: 0 };
  const total = Number(result.stdout.subarray(0, newline).toString('utf8'));
  const bytes = result.stdout.subarray(newline + 1);
  return { bytes, skipped: Math.max(0, total - bytes.length) };
}

/** The sizes as seen from `skipped` bytes into the transcript: the one then in force comes first. */
export function sizesAfter(sizes: readonly PaneSizeFrom[], skipped: number): PaneSizeFrom[] {
  if (!skipped) return [...sizes];
  const inForce = sizes.filter((s) => s.offset <= skipped).at(-1);
  const later = sizes.filter((s) => s.offset > skipped).map((s) => ({ ...s, offset: s.offset - skipped }));
  return [...(inForce ? [{ ...inForce, offset: 0 }] : []), ...later];
}
