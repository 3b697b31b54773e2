import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppSettings } from '../config/app-settings.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { UserError } from '../errors.js';
import { planFirewall, type FirewallPlan } from '../firewall/firewall-plan.js';
import { policyDir, resolvConfPath } from '../firewall/policy-store.js';
import { caSources, readCaCertificates } from '../image/ca-certificates.js';
import { collectImageInputs, type ImageInputs } from '../image/image-inputs.js';
import type { ProcessRunner } from '../system/process.js';
import { PROTECTED_PATHS, type ProjectRuntime } from './container-specs.js';
import { hostUserFor } from './host-user.js';
import type { ProjectIdentity } from './identity.js';
import { projectStateDir } from './project-state-dir.js';

/** Everything `up` needs to know about a project before touching Docker. */
export interface ProjectPlan {
  inputs: ImageInputs;
  runtime: ProjectRuntime;
  firewall: FirewallPlan;
  stateDir: string;
}

export interface PlanOptions {
  env: NodeJS.ProcessEnv;
  processes: ProcessRunner;
  imagesDir?: string;
  /** Take the project's allowlist files as they are now as approved. */
  approveAllowlist?: boolean;
}

export async function planProject(
  project: ProjectIdentity,
  config: ProjectConfig,
  app: AppSettings,
  options: PlanOptions,
): Promise<ProjectPlan> {
  const certificates = await readCaCertificates(
    caSources(project.dir, config.image?.caCertificates ?? [], app.caCertificates, options.env),
  );
  const inputs = await collectImageInputs({
    imagesDir: options.imagesDir,
    baseImage: config.image?.base,
    agentVersion: config.image?.agentVersion,
    caCertificates: certificates,
  });
  const mounts = (config.mounts ?? []).map((m) => {
    const source = resolve(project.dir, m.source);
    if (!existsSync(source)) {
      throw new UserError(
        `The mount source ${source} (from .claude/claude-tui.yaml mounts) does not exist.`,
        'Create it or remove the mount.',
      );
    }
    return { source, target: m.target, readOnly: m.readOnly };
  });
  const stateDir = projectStateDir(project, options.env);
  const firewall = await planFirewall(
    project.dir,
    stateDir,
    config,
    { processes: options.processes, env: options.env, app },
    { approve: options.approveAllowlist },
  );
  return {
    inputs,
    stateDir,
    firewall,
    runtime: {
      image: inputs.tag,
      hostUser: hostUserFor(project.dir),
      env: config.env ?? {},
      mounts,
      protectedPaths: PROTECTED_PATHS.filter((p) => existsSync(`${project.dir}/${p}`)),
      policyDir: policyDir(stateDir),
      resolvConf: firewall.policy.enabled ? resolvConfPath(stateDir) : undefined,
      networks: config.networks ?? [],
    },
  };
}
