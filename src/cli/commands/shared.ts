import { formatIssue } from '../../firewall/allowlist.js';
import { describeAppliedAtOnce, describePending } from '../../policy/describe-pending.js';
import type { PendingChange, PolicyReview } from '../../policy/review-policy.js';
import type { CommandContext } from '../context.js';

/**
 * What a command that applies the policy says about it on stderr: warnings about broad entries, a
 * narrowing change it applied at once, and a change that waits for the person's yes.
 */
export function reportPolicyNotes(ctx: CommandContext, review: PolicyReview, projectDir: string): void {
  for (const warning of review.approved.allowWarnings) ctx.out.note(`warning: ${formatIssue(warning)}`);
  for (const line of describeAppliedAtOnce(review)) ctx.out.note(line);
  if (review.pending) ctx.out.note(pendingText(review.pending, review, projectDir));
}

export function pendingText(
  pending: PendingChange,
  review: Pick<PolicyReview, 'approvedAt'>,
  projectDir: string,
  full = false,
): string {
  return describePending(pending, { projectDir, neverApproved: review.approvedAt === null, full }).join('\n');
}

/** The waiting change as --json output carries it (the snapshot is for approving, not reading). */
export function pendingJson(pending: PendingChange | null) {
  if (!pending) return null;
  const { snapshot: _snapshot, ...shown } = pending;
  return shown;
}
