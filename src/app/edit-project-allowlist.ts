import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { loadFirewallPlan } from './load-plan.js';
import type { AllowlistIssue } from '../firewall/allowlist.js';
import { addEntries, removeEntries } from '../firewall/allowlist-edit.js';
import { writeApproved } from '../firewall/approval-store.js';
import { applyFirewall, type ApplyResult } from '../firewall/apply-firewall.js';
import { DEFAULT_DOMAINS } from '../firewall/defaults.js';
import { ALLOWLIST_FILES, readProjectAllowlist, WRITABLE_ALLOWLIST } from '../firewall/project-allowlist.js';

type AllowlistServices = Pick<HostServices, 'engine' | 'processes' | 'settings' | 'env'>;

export interface EditResult extends ApplyResult {
  /** The entries that were added or removed (those already there, or not there, are left out). */
  changed: string[];
}

/**
 * Adds or removes already validated entries in the project's allowlist files, records the result
 * as approved and applies it to the running gateway at once. Refuses while the files hold a change
 * made outside claude-tui, because the edit would approve that change unseen.
 */
export async function editProjectAllowlist(
  services: AllowlistServices,
  project: ProjectIdentity,
  action: 'add' | 'rm',
  values: readonly string[],
): Promise<EditResult> {
  const before = await loadFirewallPlan(services, project);
  if (before.firewall.pending) {
    throw new UserError(
      'The allowlist changed outside claude-tui; it was not edited.',
      `Review and approve it first: claude-tui allow approve ${project.dir}`,
    );
  }
  const changed =
    action === 'add' ? await addToFile(project, values) : await removeFromFiles(project, values);
  if (action === 'rm') assertSomethingRemoved(values, changed);
  await writeApproved(before.stateDir, await readProjectAllowlist(project.dir));
  const plan = await loadFirewallPlan(services, project);
  const result = await applyFirewall(
    services.engine,
    project.names.gateway,
    plan.stateDir,
    plan.firewall.policy,
  );
  return { changed, ...result };
}

/** Applies the allowlist as last approved (or, with `approve`, as the files are now). */
export async function applyProjectAllowlist(
  services: AllowlistServices,
  project: ProjectIdentity,
  options: { approve?: boolean } = {},
): Promise<ApplyResult & { pending: string | null; warnings: AllowlistIssue[] }> {
  const plan = await loadFirewallPlan(services, project, { approveAllowlist: options.approve });
  const result = await applyFirewall(
    services.engine,
    project.names.gateway,
    plan.stateDir,
    plan.firewall.policy,
  );
  return { ...result, pending: plan.firewall.pending ?? null, warnings: plan.firewall.warnings };
}

async function addToFile(project: ProjectIdentity, values: readonly string[]): Promise<string[]> {
  const path = join(project.dir, WRITABLE_ALLOWLIST);
  const text = await readFile(path, 'utf8').catch(() => '');
  const result = addEntries(text, values);
  if (result.added.length) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, result.text);
  }
  return result.added;
}

async function removeFromFiles(project: ProjectIdentity, values: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const file of ALLOWLIST_FILES) {
    const path = join(project.dir, file);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const result = removeEntries(text, values);
    if (result.removed.length) await writeFile(path, result.text);
    removed.push(...result.removed);
  }
  return removed;
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
