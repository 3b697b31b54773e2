import type { AllowlistIssue } from '../firewall/allowlist.js';
import { parseEntry } from '../firewall/allowlist.js';
import { DEFAULT_DOMAINS } from '../firewall/defaults.js';
import { readFirewallStatus } from '../firewall/gateway-control.js';
import type { FirewallPolicy } from '../firewall/policy.js';
import type { PendingChange } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { loadFirewallPlan } from './load-plan.js';

export interface AllowlistRow {
  entry: string;
  /** `default`, `package registry`, or the file:line it is written on. */
  source: string;
  /** Only the project's own lines can be edited; defaults are turned off as a whole. */
  editable: boolean;
}

export interface AllowlistView {
  /** The gateway's firewall status, or why there is none. */
  status: string;
  enabled: boolean;
  policy: FirewallPolicy;
  rows: AllowlistRow[];
  /** Address ranges beyond the rows (GitHub's published ranges and CIDR entries). */
  ranges: number;
  /** A change to the policy files made outside claude-tui, waiting for a yes. */
  pending: PendingChange | null;
  /** When the policy was last approved; null when it never was (the project runs on the defaults). */
  approvedAt: string | null;
  warnings: AllowlistIssue[];
}

/** What the project allows and where each entry comes from, as `allow ls` and the editor show it. */
export async function describeAllowlist(
  services: Pick<HostServices, 'engine' | 'processes' | 'settings' | 'env'>,
  project: ProjectIdentity,
): Promise<AllowlistView> {
  const [plan, gateway] = await Promise.all([
    loadFirewallPlan(services, project, 'view'),
    services.engine.inspectContainer(project.names.gateway),
  ]);
  const { policy, review } = plan;
  // The entries in force: the approved text, whatever the files say now (that is `pending`).
  const projectRows: AllowlistRow[] = review.approved.allowlist.flatMap((f) =>
    f.text.split('\n').flatMap((line, i) => {
      const entry = line.replace(/#.*$/, '').trim();
      return entry ? [{ entry, source: `${f.path}:${i + 1}`, editable: true }] : [];
    }),
  );
  const projectValues = new Set(projectRows.map((row) => valueOf(row.entry)));
  const defaultRows: AllowlistRow[] = policy.domains
    .filter((d) => !projectValues.has(d))
    .map((d) => ({
      entry: d,
      source: (DEFAULT_DOMAINS as readonly string[]).includes(d) ? 'default' : 'package registry',
      editable: false,
    }));
  const status = !policy.enabled
    ? 'off (firewall.enabled: false in the project config)'
    : gateway?.State.Running
      ? await readFirewallStatus(services.engine, project.names.gateway)
      : 'the project is not up';
  return {
    status,
    enabled: policy.enabled,
    policy,
    rows: [...defaultRows, ...projectRows],
    ranges: policy.cidrs4.length + policy.cidrs6.length,
    pending: review.pending,
    approvedAt: review.approvedAt,
    warnings: review.approved.allowWarnings,
  };
}

function valueOf(entry: string): string | undefined {
  const outcome = parseEntry(entry);
  return 'entry' in outcome ? outcome.entry.value : undefined;
}
