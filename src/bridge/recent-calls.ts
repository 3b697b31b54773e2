import { open } from 'node:fs/promises';
import { visibleText } from '../system/visible-text.js';
import type { BridgeCall } from './call-log.js';

/** A served call's line is about a hundred bytes; the first read asks for this much per call. */
const BYTES_PER_CALL = 256;
/** Never read more than this from the end, however long the lines (a log of garbage stays cheap). */
const MOST_BYTES = 1 << 20;

/**
 * The last `limit` calls of a call log, newest first. Only the end of the file is read (the log
 * grows for as long as the project lives), and a line is counted only once its newline is there:
 * the last one may be half written while we read. Lines that do not read as a call are skipped.
 * A log that does not exist yet has no calls.
 */
export async function readRecentCalls(path: string, limit: number): Promise<BridgeCall[]> {
  if (limit <= 0) return [];
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return [];
  try {
    const { size } = await file.stat();
    let want = Math.max(4096, limit * BYTES_PER_CALL);
    for (;;) {
      const length = Math.min(size, want, MOST_BYTES);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, size - length);
      const lines = completeLines(buffer.subarray(0, bytesRead).toString('utf8'), size - length > 0);
      const calls = lines.flatMap(parseCall);
      if (calls.length >= limit || length === size || length === MOST_BYTES)
        return calls.slice(-limit).reverse();
      want *= 4;
    }
  } finally {
    await file.close();
  }
}

/** The whole lines of a piece of the log: not the first when the piece starts mid-file, never a last without its newline. */
function completeLines(text: string, startsMidFile: boolean): string[] {
  const lines = text.split('\n');
  lines.pop(); // After the last newline: empty, or a line still being written.
  if (startsMidFile) lines.shift();
  return lines;
}

/** One line as a call, or nothing. Names are made safe to show: a refused call's name is the agent's word. */
export function parseCall(line: string): BridgeCall[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const { at, command, exitCode, durationMs, refused } = value as Record<string, unknown>;
  if (typeof at !== 'number' || typeof command !== 'string' || typeof durationMs !== 'number') return [];
  if (exitCode !== undefined && exitCode !== null && typeof exitCode !== 'number') return [];
  const call: BridgeCall = {
    at,
    command: visibleText(command, { oneLine: true }),
    exitCode: typeof exitCode === 'number' ? exitCode : undefined,
    durationMs,
  };
  if (typeof refused === 'string') call.refused = visibleText(refused, { oneLine: true });
  return [call];
}

/**
 * The bridge's recent calls as the dashboard and `status` show them: the call log and the refusal
 * log (see CallLogFiles) merged newest first, each run of refusals with no call between them shown
 * as one line that says how many there were, so that a flood of them takes one line, not the view.
 */
export async function readRecentBridgeCalls(
  files: { calls: string; refusals: string },
  limit: number,
): Promise<BridgeCall[]> {
  const [calls, refusals] = await Promise.all([
    readRecentCalls(files.calls, limit),
    readRecentCalls(files.refusals, REFUSALS_READ),
  ]);
  const merged = [
    ...calls.map((c) => ({ c, refusal: false })),
    ...refusals.map((c) => ({ c, refusal: true })),
  ].sort((a, b) => b.c.at - a.c.at);
  const shown: BridgeCall[] = [];
  for (let at = 0; at < merged.length && shown.length < limit;) {
    const first = merged[at]!;
    let end = at + 1;
    if (first.refusal) while (end < merged.length && merged[end]!.refusal) end++;
    shown.push(end - at > 1 ? refusalRun(merged.slice(at, end).map((m) => m.c)) : first.c);
    at = end;
  }
  return shown;
}

/** As many refusals as the refusal log keeps, or near it: a run's count is what is still there. */
const REFUSALS_READ = 1000;

function refusalRun(run: BridgeCall[]): BridgeCall {
  const newest = run[0]!;
  const more = run.length - 1;
  return {
    ...newest,
    refused: `${newest.refused ?? 'refused'} (and ${more} more refused call${more === 1 ? '' : 's'} before it)`,
  };
}
