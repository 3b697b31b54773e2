import { existsSync } from 'node:fs';
import { bridgeRelayPaths } from '../bridge/relay-files.js';
import type { AppSettings } from '../config/app-settings.js';
import { UserError } from '../errors.js';
import { planFirewall } from '../firewall/firewall-plan.js';
import type { FirewallPolicy } from '../firewall/policy.js';
import { firewallStatusPath, policyDir, resolvConfPath } from '../firewall/policy-store.js';
import { caSources, readCaCertificates, type CaCertificate } from '../image/ca-certificates.js';
import { collectImageInputs, type ImageInputs } from '../image/image-inputs.js';
import type { EffectivePolicy } from '../policy/interpret-policy.js';
import type { ProcessRunner } from '../system/process.js';
import { WORKSPACE, type ProjectRuntime } from './container-specs.js';
import { protectedPathsIn } from './protected-paths.js';
import { hostUserFor } from './host-user.js';
import type { ProjectIdentity } from './identity.js';
import { projectStateDir } from './project-state-dir.js';
import type { SecretScan } from './secret-scan.js';
import { planSecretShadows } from './secret-shadows.js';
import { refuseOnRemoteEngine } from './remote-project.js';

/** Everything `up` needs to know about a project before touching Docker. */
export interface ProjectPlan {
  inputs: ImageInputs;
  runtime: ProjectRuntime;
  firewall: FirewallPolicy;
  stateDir: string;
  /** The secret files found at this plan, with what the person should know about them. */
  secrets: SecretScan;
}

export interface PlanOptions {
  env: NodeJS.ProcessEnv;
  processes: ProcessRunner;
  imagesDir?: string;
  /**
   * Where the plan's own host files go (the policy folder, resolv.conf, the secret shadows'
   * files); default the project's state folder. An export keeps its own, apart from `up`'s.
   */
  stateDir?: string;
  /**
   * The Engine is on another machine (DockerEngine.remote, named by `endpoint`): nothing of this
   * machine is bound, and what only this machine can give is refused (remote-project.ts).
   */
  remote?: { endpoint: string };
}

/**
 * The plan for a project from its approved policy (never the files as they are now: those are a
 * proposal until approved) and the host's own settings, which the agent cannot reach.
 */
export async function planProject(
  project: ProjectIdentity,
  policy: EffectivePolicy,
  app: AppSettings,
  options: PlanOptions,
): Promise<ProjectPlan> {
  const { config } = policy;
  const fromHost = await readCaCertificates(caSources(project.dir, [], app.caCertificates, options.env));
  const inputs = await collectImageInputs({
    imagesDir: options.imagesDir,
    baseImage: config.image?.base,
    agentVersion: config.image?.agentVersion,
    caCertificates: withoutRepeats([...policy.caCertificates, ...fromHost]),
  });
  for (const mount of options.remote ? [] : policy.mounts) {
    if (!existsSync(mount.source)) {
      throw new UserError(
        `The mount source ${mount.source} (from .claude/claude-tui.yaml mounts, as approved) does not exist.`,
        'Create it, or remove the mount and approve the change (claude-tui approve).',
      );
    }
  }
  const stateDir = options.stateDir ?? projectStateDir(project, options.env);
  const firewall = await planFirewall(config, policy.allowEntries, {
    processes: options.processes,
    env: options.env,
    app,
  });
  if (options.remote) {
    refuseOnRemoteEngine(policy, firewall, options.remote.endpoint);
    return {
      inputs,
      stateDir,
      firewall,
      secrets: NOTHING_SCANNED,
      runtime: {
        image: inputs.tag,
        hostUser: hostUserFor(project.dir),
        env: config.env ?? {},
        mounts: [],
        // No workspace is bound, so nothing in it needs a lock or a shadow: a git session's clone
        // holds only the commits the person chose to hand over.
        protectedPaths: [],
        policyDir: policyDir(stateDir),
        resolvConf: firewall.enabled ? resolvConfPath(stateDir) : undefined,
        networks: config.networks ?? [],
        remote: true,
      },
    };
  }
  const protectedPaths = await protectedPathsIn(project.dir);
  const secrets = await planSecretShadows(
    project.dir,
    config.secrets,
    { protectedPaths, mountTargets: policy.mounts.map((m) => m.target) },
    stateDir,
    WORKSPACE,
  );
  return {
    inputs,
    stateDir,
    firewall,
    secrets: secrets.scan,
    runtime: {
      image: inputs.tag,
      hostUser: hostUserFor(project.dir),
      env: config.env ?? {},
      mounts: policy.mounts,
      protectedPaths,
      policyDir: policyDir(stateDir),
      firewallStatusFile: firewallStatusPath(stateDir),
      resolvConf: firewall.enabled ? resolvConfPath(stateDir) : undefined,
      networks: config.networks ?? [],
      secretShadows: secrets.shadows,
      bridgeDir: bridgeRelayPaths(stateDir).dir,
    },
  };
}

/** A remote project's plan scans nothing: no folder of this machine reaches its containers. */
const NOTHING_SCANNED: SecretScan = { shadows: [], notes: [], entries: 0, truncated: false };

function withoutRepeats(certificates: readonly CaCertificate[]): CaCertificate[] {
  const seen = new Set<string>();
  return certificates.filter((c) => !seen.has(c.pem) && seen.add(c.pem));
}
