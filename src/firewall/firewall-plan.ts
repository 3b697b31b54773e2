import type { AppSettings } from '../config/app-settings.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { UserError } from '../errors.js';
import { stateDir } from '../paths.js';
import type { ProcessRunner } from '../system/process.js';
import { join } from 'node:path';
import { formatIssue, parseAllowlist, type AllowlistIssue, type AllowEntry } from './allowlist.js';
import { readApproved, writeApproved } from './approval-store.js';
import { githubRanges } from './github-meta.js';
import { buildPolicy, type FirewallPolicy } from './policy.js';
import { allowlistDiff, readProjectAllowlist, sameFiles, type AllowlistFile } from './project-allowlist.js';
import { packageRegistryHosts } from './registries.js';

export interface FirewallPlan {
  policy: FirewallPolicy;
  /** The files changed outside claude-tui since they were approved: the diff, not applied. */
  pending?: string;
  warnings: AllowlistIssue[];
}

export interface FirewallPlanDeps {
  processes: ProcessRunner;
  env: NodeJS.ProcessEnv;
  app: Pick<AppSettings, 'githubMeta' | 'selfCheck'>;
}

export function parseFiles(files: readonly AllowlistFile[]): {
  entries: AllowEntry[];
  warnings: AllowlistIssue[];
} {
  const parsed = files.map((f) => parseAllowlist(f.text, f.path));
  const errors = parsed.flatMap((p) => p.errors);
  if (errors.length) {
    throw new UserError(
      `The allowlist has ${errors.length === 1 ? 'a bad line' : `${errors.length} bad lines`}; nothing was applied:\n` +
        errors.map((e) => `    ${formatIssue(e)}`).join('\n'),
      'Fix the lines named above and try again.',
    );
  }
  return { entries: parsed.flatMap((p) => p.entries), warnings: parsed.flatMap((p) => p.warnings) };
}

/**
 * Decides what the gateway should enforce: the defaults, the host's package registries, GitHub's
 * ranges, and the project's allowlist as last approved. With `approve`, the files as they are now
 * become the approved version.
 */
export async function planFirewall(
  projectDir: string,
  projectStateDir: string,
  config: ProjectConfig,
  deps: FirewallPlanDeps,
  options: { approve?: boolean } = {},
): Promise<FirewallPlan> {
  const current = await readProjectAllowlist(projectDir);
  const checked = parseFiles(current);
  let approvedFiles = (await readApproved(projectStateDir))?.files ?? [];
  if (options.approve && !sameFiles(current, approvedFiles)) {
    await writeApproved(projectStateDir, current);
    approvedFiles = current;
  }
  const pending = sameFiles(current, approvedFiles) ? undefined : allowlistDiff(approvedFiles, current);
  const approved = pending ? parseFiles(approvedFiles) : checked;

  const useDefaults = config.firewall?.defaults !== false && config.firewall?.enabled !== false;
  const cache = join(stateDir(deps.env), 'cache');
  const [registryHosts, ranges] = useDefaults
    ? await Promise.all([
        packageRegistryHosts(deps.processes, deps.env, join(cache, 'registries.json')),
        deps.app.githubMeta === false ? undefined : githubRanges(join(cache, 'github-meta.json')),
      ])
    : [[], undefined];
  const policy = buildPolicy({
    config: config.firewall,
    appSelfCheck: deps.app.selfCheck,
    projectEntries: approved.entries,
    registryHosts,
    githubRanges: ranges,
  });
  return { policy, warnings: checked.warnings, ...(pending ? { pending } : {}) };
}
