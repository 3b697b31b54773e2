import { appendFile, readFile, stat } from 'node:fs/promises';
import { log } from '../log.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import type { BridgeCall } from './call-log.js';

/**
 * Past this size the log is cut back to its newest half, so it never grows without end and is
 * cut only once in many calls (a few thousand calls are kept).
 */
const MAX_LOG_BYTES = 512 * 1024;

/**
 * Appends each served call to the project's call log, one JSON line each, in the order served.
 * Writes are queued one after another; a failure is logged, never the caller's problem.
 */
export function callLogWriter(file: string): (call: BridgeCall) => void {
  let queue = Promise.resolve();
  return (call) => {
    queue = queue
      .then(() => appendCall(file, call))
      .catch((error: unknown) => log.warn('bridge: the call log was not written', { error: String(error) }));
  };
}

async function appendCall(file: string, call: BridgeCall): Promise<void> {
  await appendFile(file, `${JSON.stringify(call)}\n`, { mode: 0o600 });
  const size = (await stat(file)).size;
  if (size <= MAX_LOG_BYTES) return;
  const text = await readFile(file, 'utf8');
  const cut = text.indexOf('\n', text.length - MAX_LOG_BYTES / 2);
  await writeFileAtomically(file, text.slice(cut + 1), 0o600);
}
