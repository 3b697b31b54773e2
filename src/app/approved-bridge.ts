import { stat } from 'node:fs/promises';
import type { BridgePolicy } from '../config/bridge-policy.js';
import { log } from '../log.js';
import { approvedPolicyPath } from '../policy/approved-policy-store.js';
import { approvedPolicy } from '../policy/approved-config.js';

/**
 * The approved bridge as the relay serves it: read from the record of what the person approved
 * (in the state folder, never the workspace's bridge.yaml, which is the agent's to write), and
 * read again only when that record changed, so an approval reaches the running relay at its next
 * call with nothing restarted. The same object comes back while nothing changed.
 */
export function approvedBridgeSource(
  projectDir: string,
  stateDir: string,
): () => Promise<BridgePolicy | undefined> {
  const file = approvedPolicyPath(stateDir);
  let seen: string | undefined;
  let current: BridgePolicy | undefined;
  return async () => {
    const now = await stat(file).then(
      (s) => `${s.ino}:${s.size}:${s.mtimeMs}`,
      () => 'none',
    );
    if (now === seen) return current;
    try {
      current = (await approvedPolicy(projectDir, stateDir)).bridge;
    } catch (error) {
      // An approval that cannot be read serves nothing (fail closed) until it can.
      log.warn('bridge: the approved policy cannot be read', { error: String(error) });
      current = undefined;
    }
    seen = now;
    return current;
  };
}
