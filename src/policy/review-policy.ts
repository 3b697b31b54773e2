import { createHash } from 'node:crypto';
import type { structuredPatch } from 'diff';
import { UserError } from '../errors.js';
import { log } from '../log.js';
import { readApprovedPolicy, writeApprovedPolicy } from './approved-policy-store.js';
import { classifyChange, type PolicyChange } from './classify-change.js';
import { interpretSnapshot, type EffectivePolicy } from './interpret-policy.js';
import { POLICY_FILES } from './policy-files.js';
import { captureSnapshot, EMPTY_SNAPSHOT, sameSnapshot, type PolicySnapshot } from './policy-snapshot.js';
import { visibleText } from '../system/visible-text.js';

type StructuredPatch = typeof structuredPatch;

/** One file of a waiting change, with its lines for a person to read (`+ added`, `- removed`). */
export interface FileChange {
  path: string;
  change: 'created' | 'changed' | 'deleted' | 'refused';
  lines: string[];
}

/** A change to the policy files that is not in force: shown, and applied only after a yes. */
export interface PendingChange {
  files: FileChange[];
  widens: PolicyChange[];
  narrows: PolicyChange[];
  /** Why it cannot be approved as it is (a bad line, a link out of the project...). */
  problems: string[];
  /** Exactly what was reviewed: approving stores this, never a later read of the files. */
  snapshot: PolicySnapshot;
}

export interface PolicyReview {
  /** What runs: the approved copy, or the defaults when nothing was approved yet. */
  approved: EffectivePolicy;
  /** The approved files themselves, for an edit claude-tui makes on the person's behalf. */
  approvedSnapshot: PolicySnapshot;
  approvedAt: string | null;
  pending: PendingChange | null;
  /** Narrowing changes that were just applied without asking (by settlePolicy). */
  appliedAtOnce: PolicyChange[];
  /** Widening changes just approved because the person said --yes (by settlePolicy). */
  approvedByYes: PolicyChange[];
}

/**
 * Only whether a change waits, and what it is: what the dashboard and the watchers look at every
 * few seconds, so the common case (nothing changed) parses no config at all.
 */
export async function pendingPolicy(
  projectDir: string,
  projectStateDir: string,
): Promise<Pick<PolicyReview, 'pending' | 'approvedAt'>> {
  const stored = await readApprovedPolicy(projectStateDir);
  const live = await captureSnapshot(projectDir, stored?.snapshot);
  if (!live.refused.length && sameSnapshot(stored?.snapshot ?? EMPTY_SNAPSHOT, live.snapshot)) {
    return { pending: null, approvedAt: stored?.approvedAt || null };
  }
  const { pending, approvedAt } = await reviewPolicy(projectDir, projectStateDir);
  return { pending, approvedAt };
}

export async function reviewPolicy(projectDir: string, projectStateDir: string): Promise<PolicyReview> {
  const stored = await readApprovedPolicy(projectStateDir);
  const live = await captureSnapshot(projectDir, stored?.snapshot);
  const approvedSnapshot = stored?.snapshot ?? EMPTY_SNAPSHOT;
  const approved = await interpretApproved(projectDir, approvedSnapshot);
  const base = {
    approved,
    approvedSnapshot,
    approvedAt: stored?.approvedAt || null,
    appliedAtOnce: [],
    approvedByYes: [],
  };
  if (!live.refused.length && sameSnapshot(approvedSnapshot, live.snapshot))
    return { ...base, pending: null };

  const proposed = await interpretSnapshot(projectDir, live.snapshot);
  const files = await fileChanges(approvedSnapshot, live.snapshot, live.refused);
  const refusals = live.refused.map((r) => `${r.path} ${r.reason}`);
  if ('problems' in proposed) {
    return {
      ...base,
      pending: {
        files,
        widens: [],
        narrows: [],
        problems: [...refusals, ...proposed.problems],
        snapshot: live.snapshot,
      },
    };
  }
  const { widens, narrows } = classifyChange(approved, proposed.policy);
  return { ...base, pending: { files, widens, narrows, problems: refusals, snapshot: live.snapshot } };
}

/** What the approved snapshot means; an approved copy that no longer reads as valid is refused. */
export async function interpretApproved(
  projectDir: string,
  snapshot: PolicySnapshot,
): Promise<EffectivePolicy> {
  const approved = await interpretSnapshot(projectDir, snapshot);
  if ('policy' in approved) return approved.policy;
  throw new UserError(
    `The approved copy of the project's policy no longer reads as valid: ${approved.problems.join('; ')}`,
    `Nothing was applied. Review and approve the files as they are now: claude-tui approve ${projectDir}`,
  );
}

/** Stores the reviewed snapshot as approved. Refuses one that has problems. */
export async function approvePolicy(projectStateDir: string, pending: PendingChange): Promise<void> {
  if (pending.problems.length) {
    throw new UserError(
      `The change cannot be approved as it is:\n${pending.problems.map((p) => `    ${p}`).join('\n')}`,
      'Fix the files named above (nothing was changed) and try again.',
    );
  }
  await writeApprovedPolicy(projectStateDir, pending.snapshot);
  log.info('policy approved', { projectStateDir, files: pending.files.map((f) => `${f.path} ${f.change}`) });
}

/**
 * The review as an operation that applies things uses it: a change that only narrows the agent's
 * rights (or changes nothing that matters, like a comment) is approved at once; with `approveAll`
 * (a person said yes up front, --yes) any change that can be approved is.
 */
export async function settlePolicy(
  projectDir: string,
  projectStateDir: string,
  options: { approveAll?: boolean } = {},
): Promise<PolicyReview> {
  const review = await reviewPolicy(projectDir, projectStateDir);
  const { pending } = review;
  if (!pending || !(options.approveAll || (!pending.widens.length && !pending.problems.length)))
    return review;
  await approvePolicy(projectStateDir, pending);
  const after = await reviewPolicy(projectDir, projectStateDir);
  return { ...after, appliedAtOnce: pending.narrows, approvedByYes: pending.widens };
}

async function fileChanges(
  from: PolicySnapshot,
  to: PolicySnapshot,
  refused: readonly { path: string; reason: string }[],
): Promise<FileChange[]> {
  // Loaded only when there is a change to show.
  const { structuredPatch } = await import('diff');
  const changes: FileChange[] = [];
  for (const path of POLICY_FILES) {
    const refusal = refused.find((r) => r.path === path);
    if (refusal) {
      changes.push({ path, change: 'refused', lines: [`  (not read: it ${refusal.reason})`] });
      continue;
    }
    const change = textChange(structuredPatch, path, from.files[path], to.files[path]);
    if (change) changes.push(change);
  }
  for (const path of new Set([...Object.keys(from.caCertificates), ...Object.keys(to.caCertificates)])) {
    const [before, after] = [from.caCertificates[path], to.caCertificates[path]];
    if (before === after) continue;
    const digest = (text: string | undefined) =>
      text === undefined ? 'none' : `sha256 ${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    changes.push({
      path: `${path} (a CA certificate the config names)`,
      change: before === undefined ? 'created' : after === undefined ? 'deleted' : 'changed',
      lines: [`- ${digest(before)}`, `+ ${digest(after)}`],
    });
  }
  for (const source of new Set([...Object.keys(from.mountSources), ...Object.keys(to.mountSources)])) {
    const [before, after] = [from.mountSources[source], to.mountSources[source]];
    if (before === after) continue;
    changes.push({
      path: `${source} (a mount source the config names)`,
      change: before === undefined ? 'created' : after === undefined ? 'deleted' : 'changed',
      lines: [...(before ? [`- leads to ${before}`] : []), ...(after ? [`+ leads to ${after}`] : [])],
    });
  }
  // The files are the agent's words: a control character in them must not act on the terminal
  // (it could hide a widening line from the person approving it).
  return changes.map((change) => ({
    ...change,
    path: visibleText(change.path, { oneLine: true }),
    lines: change.lines.map((line) => visibleText(line, { oneLine: true })),
  }));
}

function textChange(
  structuredPatch: StructuredPatch,
  path: string,
  before: string | undefined,
  after: string | undefined,
): FileChange | undefined {
  if (before === after) return undefined;
  const patch = structuredPatch(path, path, before ?? '', after ?? '', '', '', { context: 2 });
  const lines = patch.hunks.flatMap((hunk, index) => [
    ...(index ? ['  …'] : []),
    ...hunk.lines.filter((l) => !l.startsWith('\\')).map((l) => `${l[0] === ' ' ? ' ' : l[0]} ${l.slice(1)}`),
  ]);
  return {
    path,
    change: before === undefined ? 'created' : after === undefined ? 'deleted' : 'changed',
    lines,
  };
}
