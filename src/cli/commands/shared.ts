import { formatIssue } from '../../firewall/allowlist.js';
import type { FirewallPlan } from '../../firewall/firewall-plan.js';
import type { CommandContext } from '../context.js';

/** Warnings about broad entries, and an allowlist change waiting for the person's yes. */
export function reportAllowlistNotes(
  ctx: CommandContext,
  firewall: Pick<FirewallPlan, 'warnings' | 'pending'>,
  projectDir: string,
): void {
  for (const warning of firewall.warnings) ctx.out.note(`warning: ${formatIssue(warning)}`);
  if (firewall.pending) {
    ctx.out.note(
      `The project's allowlist changed outside claude-tui and is not applied until you approve it:\n` +
        `${firewall.pending.replace(/^/gm, '    ')}\n` +
        `Approve with \`claude-tui allow approve ${projectDir}\` (or pass --yes).`,
    );
  }
}
