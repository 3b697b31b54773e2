import { appendFile, readFile, stat } from 'node:fs/promises';
import { log } from '../log.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import type { BridgeCall } from './call-log.js';

/**
 * Past its size a log is cut back to its newest half, so it never grows without end and is cut
 * only once in many calls (a few thousand calls are kept; a few hundred refusals).
 */
const MAX_LOG_BYTES = 512 * 1024;
const MAX_REFUSAL_LOG_BYTES = 64 * 1024;

export interface CallLogFiles {
  /** Calls that named an approved command (whether or not it could run). */
  calls: string;
  /** Calls refused before that: the agent can send any number of them. */
  refusals: string;
}

/**
 * Appends each call to its log, one JSON line each, in the order served: a call that named an
 * approved command to the call log, any other to the refusal log, so that refusals, however
 * many, never push calls that ran out of theirs. Writes are queued one after another; a failure
 * is logged, never the caller's problem.
 */
export function callLogWriter(files: CallLogFiles): (call: BridgeCall, planned: boolean) => void {
  let queue = Promise.resolve();
  return (call, planned) => {
    const [file, bound] = planned ? [files.calls, MAX_LOG_BYTES] : [files.refusals, MAX_REFUSAL_LOG_BYTES];
    queue = queue
      .then(() => appendCall(file, call, bound))
      .catch((error: unknown) => log.warn('bridge: the call log was not written', { error: String(error) }));
  };
}

async function appendCall(file: string, call: BridgeCall, maxBytes: number): Promise<void> {
  await appendFile(file, `${JSON.stringify(call)}\n`, { mode: 0o600 });
  const size = (await stat(file)).size;
  if (size <= maxBytes) return;
  const text = await readFile(file, 'utf8');
  const cut = text.indexOf('\n', text.length - maxBytes / 2);
  await writeFileAtomically(file, text.slice(cut + 1), 0o600);
}
