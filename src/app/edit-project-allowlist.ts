import { publishEngineFiles } from '../project/engine-files.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { addEntries, removeEntries } from '../firewall/allowlist-edit.js';
import { applyFirewall, type ApplyResult } from '../firewall/apply-firewall.js';
import { DEFAULT_DOMAINS } from '../firewall/defaults.js';
import { ALLOWLIST_FILES, WRITABLE_ALLOWLIST } from '../firewall/project-allowlist.js';
import { writeApprovedPolicy } from '../policy/approved-policy-store.js';
import type { PendingChange, PolicyReview } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { loadFirewallPlan, loadPolicy } from './load-plan.js';

type AllowlistServices = Pick<HostServices, 'engine' | 'processes' | 'settings' | 'env'>;

export interface EditResult extends ApplyResult {
  /** The entries that were added or removed (those already there, or not there, are left out). */
  changed: string[];
}

/**
 * Adds or removes already validated entries in the project's allowlist files, records the result
 * as approved (the person asked for it, on the host) and applies it to the running gateway at once.
 * The edit starts from the approved text, and is refused while the files hold a change made
 * outside claude-tui: writing over it would approve it unseen, or lose it.
 */
export async function editProjectAllowlist(
  services: AllowlistServices,
  project: ProjectIdentity,
  action: 'add' | 'rm',
  values: readonly string[],
): Promise<EditResult> {
  const review = await loadPolicy(services, project, 'view');
  if (touchesAllowlist(review.pending)) {
    throw new UserError(
      'The allowlist changed outside claude-tui (or cannot be read); it was not edited.',
      `Review the change first: claude-tui approve ${project.dir}`,
    );
  }
  const files = { ...review.approvedSnapshot.files };
  const changed: string[] = [];
  for (const path of action === 'add' ? [WRITABLE_ALLOWLIST] : ALLOWLIST_FILES) {
    const text = files[path];
    if (action === 'rm' && text === undefined) continue;
    const result = action === 'add' ? addEntries(text ?? '', values) : removeEntries(text ?? '', values);
    const done = 'added' in result ? result.added : result.removed;
    if (!done.length) continue;
    const file = join(project.dir, path);
    await mkdir(dirname(file), { recursive: true });
    // In place, not by rename: the agent's read-only mount of the file shows the same file then.
    await writeFile(file, result.text);
    files[path] = result.text;
    changed.push(...done);
  }
  if (action === 'rm') assertSomethingRemoved(values, changed);
  if (changed.length) {
    await writeApprovedPolicy(projectStateDir(project, services.env), { ...review.approvedSnapshot, files });
  }
  const plan = await loadFirewallPlan(services, project, 'view');
  return { changed, ...(await applyPlan(services, project, plan)) };
}

/** Applies the policy as approved (or, with `approve`, approves the files as they are now first). */
export async function applyProjectAllowlist(
  services: AllowlistServices,
  project: ProjectIdentity,
  options: { approve?: boolean } = {},
): Promise<ApplyResult & { review: PolicyReview }> {
  const plan = await loadFirewallPlan(services, project, options.approve ? 'approve-all' : 'apply');
  return { ...(await applyPlan(services, project, plan)), review: plan.review };
}

/** The plan's policy applied in the project's gateway (sent to a remote Engine's files first). */
function applyPlan(
  services: AllowlistServices,
  project: ProjectIdentity,
  plan: Awaited<ReturnType<typeof loadFirewallPlan>>,
): Promise<ApplyResult> {
  return applyFirewall(
    services.engine,
    project.names.gateway,
    plan.stateDir,
    plan.policy,
    remotePublisher(services.engine, project, plan.stateDir),
  );
}

function touchesAllowlist(pending: PendingChange | null): boolean {
  return pending?.files.some((f) => (ALLOWLIST_FILES as readonly string[]).includes(f.path)) ?? false;
}

function assertSomethingRemoved(values: readonly string[], removed: readonly string[]): void {
  const missing = values.filter((v) => !removed.includes(v));
  if (!missing.length || removed.length) return;
  const defaults = missing.filter((m) => (DEFAULT_DOMAINS as readonly string[]).includes(m));
  throw new UserError(
    `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the project's allowlist.`,
    defaults.length
      ? 'Defaults are turned off as a whole: firewall.defaults: false in .claude/claude-tui.yaml.'
      : 'See `claude-tui allow ls` for what is allowed and where it comes from.',
  );
}

/** A remote project's gateway reads the policy from its Engine: the written files are sent there. */
function remotePublisher(
  engine: AllowlistServices['engine'],
  project: ProjectIdentity,
  stateDir: string,
): (() => Promise<boolean>) | undefined {
  return engine.remote ? () => publishEngineFiles(engine, project, stateDir) : undefined;
}
