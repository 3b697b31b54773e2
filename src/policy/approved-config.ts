import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../log.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import { BUILD_ID } from '../version.js';
import { readApprovedPolicy } from './approved-policy-store.js';
import type { EffectivePolicy } from './interpret-policy.js';
import { EMPTY_SNAPSHOT, type PolicySnapshot } from './policy-snapshot.js';

/**
 * What the approved policy means, kept beside it once worked out. Every session's start needs it,
 * and reading the YAML and checking it against the schemas (loading both libraries) took about a
 * third of what `run` adds to the agent's own time; the kept copy is plain JSON. It lives in the
 * project's state folder, which no agent can write, and is taken only for the same approved files,
 * the same project folder and the same build of claude-tui; anything else works it out again.
 */
const FILE = 'approved-policy.interpreted.json';

/** Only what is in force, without looking at the files (starting a session needs no more). */
export async function approvedPolicy(
  projectDir: string,
  projectStateDir: string,
  build: string | undefined = BUILD_ID,
): Promise<EffectivePolicy> {
  const stored = await readApprovedPolicy(projectStateDir);
  const snapshot = stored?.snapshot ?? EMPTY_SNAPSHOT;
  const file = join(projectStateDir, FILE);
  const key = build && keyOf(build, projectDir, snapshot);
  if (key) {
    const kept = await readKept(file, key);
    if (kept) return kept;
  }
  const { interpretApproved } = await import('./review-policy.js');
  const policy = await interpretApproved(projectDir, snapshot);
  if (key) {
    await writeFileAtomically(file, JSON.stringify({ key, policy }), 0o600).catch((error: unknown) =>
      log.warn('the approved policy could not be kept as read', { file, error: String(error) }),
    );
  }
  return policy;
}

function keyOf(build: string, projectDir: string, snapshot: PolicySnapshot): string {
  return createHash('sha256')
    .update(JSON.stringify([build, projectDir, snapshot]))
    .digest('hex');
}

async function readKept(file: string, key: string): Promise<EffectivePolicy | undefined> {
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as { key?: unknown; policy?: EffectivePolicy };
    return kept.key === key ? kept.policy : undefined;
  } catch {
    // None kept yet, or one torn by a crash: worked out again.
    return undefined;
  }
}
