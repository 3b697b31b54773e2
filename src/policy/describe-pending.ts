import type { PendingChange, PolicyReview } from './review-policy.js';

/** How a widening, a narrowing and a problem are marked, wherever a change is shown. */
export const MARK = { widens: '▲', narrows: '▼', problem: '✗' } as const;

/** Lines over this many per file are cut, with a count: the full diff is one `approve` away. */
const LINES_PER_FILE = 40;

/**
 * A waiting change in words for a person, the same in every place that shows it (up, status,
 * allow, approve, the dashboard): what changed, what it would widen, and how to approve it.
 */
export function describePending(
  pending: PendingChange,
  context: { projectDir: string; neverApproved: boolean; full?: boolean },
): string[] {
  const lines: string[] = [
    context.neverApproved
      ? "The project's policy files are not approved yet; until they are, the project runs on the defaults."
      : "The project's policy files changed outside claude-tui; until you approve, the approved copy stays in force.",
  ];
  for (const file of pending.files) {
    lines.push(`  ${file.path} (${file.change})`);
    const shown = context.full ? file.lines : file.lines.slice(0, LINES_PER_FILE);
    lines.push(...shown.map((line) => `    ${line}`));
    if (shown.length < file.lines.length) lines.push(`    … ${file.lines.length - shown.length} more lines`);
  }
  if (pending.widens.length) {
    lines.push(
      "It would widen the agent's rights:",
      ...pending.widens.map((c) => `  ${MARK.widens} ${c.text}`),
    );
  }
  if (pending.narrows.length) {
    lines.push(pending.widens.length ? 'and narrow them:' : "It narrows the agent's rights:");
    lines.push(...pending.narrows.map((c) => `  ${MARK.narrows} ${c.text}`));
  }
  if (pending.problems.length) {
    lines.push('It cannot be approved as it is:', ...pending.problems.map((p) => `  ${MARK.problem} ${p}`));
    lines.push(
      `Fix the files, then approve with \`claude-tui approve ${context.projectDir}\`; the approved copy stays in force meanwhile.`,
    );
  } else if (!context.full) {
    lines.push(`Review and approve it with \`claude-tui approve ${context.projectDir}\`.`);
  }
  return lines;
}

/** One line for a list or a status row: what waits, and the widest thing it would do. */
export function summarizePending(pending: PendingChange | null): string | null {
  if (!pending) return null;
  if (pending.problems.length) return `policy change cannot be approved: ${pending.problems[0]}`;
  const first = pending.widens[0]?.text ?? pending.narrows[0]?.text ?? 'changes nothing in force';
  const more = pending.widens.length > 1 ? ` (+${pending.widens.length - 1} more)` : '';
  return `policy change waits: ${first}${more}`;
}

/**
 * Changes applied without a question, in words: the narrowing ones need no yes, and the widening
 * ones had it from --yes, but neither should be silent.
 */
export function describeAppliedAtOnce(review: PolicyReview): string[] {
  return [
    ...review.approvedByYes.map((c) => `approved with --yes (it widens): ${c.text}`),
    ...review.appliedAtOnce.map((c) => `applied at once (it only narrows): ${c.text}`),
  ];
}
