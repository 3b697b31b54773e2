import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { servedBridge, type LiveBridge, type ServedBridge } from '../bridge/served-bridge.js';
import type { BridgePolicy } from '../config/bridge-policy.js';
import { BRIDGE_FILE, parseBridgeConfig } from '../config/load-bridge-config.js';
import { ConfigError } from '../errors.js';
import { log } from '../log.js';
import { approvedPolicyPath } from '../policy/approved-policy-store.js';
import { approvedPolicy } from '../policy/approved-config.js';
import { readHostFile } from '../policy/read-host-file.js';

/**
 * The bridge as the relay serves it (served-bridge.ts): the approved record (in the state folder,
 * which the agent cannot write) narrowed by `.claude/bridge.yaml` as it is now. Each is read again
 * only when its inode, size or mtime changed, so asking at every call costs a few stat calls; the
 * same object comes back while nothing changed.
 */
export function servedBridgeSource(projectDir: string, stateDir: string): () => Promise<ServedBridge> {
  const approved = cachedByStat(approvedPolicyPath(stateDir), () => readApproved(projectDir, stateDir));
  const liveFile = join(projectDir, BRIDGE_FILE);
  const live = cachedByStat(liveFile, () => readLive(projectDir, liveFile));
  let inputs: [BridgePolicy | undefined, LiveBridge] | undefined;
  let served: ServedBridge | undefined;
  return async () => {
    const now: [BridgePolicy | undefined, LiveBridge] = [await approved(), await live()];
    if (!served || !inputs || now[0] !== inputs[0] || now[1] !== inputs[1]) {
      inputs = now;
      served = servedBridge(...now);
    }
    return served;
  };
}

/** `read()`'s answer, kept until the file's inode, size or mtime (or a link's) change. */
function cachedByStat<T>(file: string, read: () => Promise<T>): () => Promise<T> {
  let seen: string | undefined;
  let value: T;
  return async () => {
    const key = (
      await Promise.all([lstat(file), stat(file)].map((s) => s.then(identity, () => 'none')))
    ).join('|');
    if (key === seen) return value;
    value = await read();
    seen = key;
    return value;
  };
}

const identity = (s: { ino: number; size: number; mtimeMs: number; ctimeMs: number }) =>
  `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

async function readApproved(projectDir: string, stateDir: string): Promise<BridgePolicy | undefined> {
  try {
    return (await approvedPolicy(projectDir, stateDir)).bridge;
  } catch (error) {
    // An approval that cannot be read serves nothing (fail closed) until it can.
    log.warn('bridge: the approved policy cannot be read', { error: String(error) });
    return undefined;
  }
}

async function readLive(projectDir: string, file: string): Promise<LiveBridge> {
  const read = await readHostFile(file, { within: projectDir });
  if (read.kind === 'absent')
    return { problem: `${BRIDGE_FILE} is gone; nothing is served until it is back as approved` };
  if (read.kind === 'refused') return { problem: `${BRIDGE_FILE} ${read.reason}; nothing is served` };
  try {
    return { policy: await parseBridgeConfig(file, read.text, projectDir) };
  } catch (error) {
    const why =
      error instanceof ConfigError
        ? `${BRIDGE_FILE}${error.location ? `:${error.location}` : ''}: ${error.expected}`
        : String(error);
    return { problem: `${BRIDGE_FILE} does not read now (${why}); nothing is served until it does` };
  }
}
