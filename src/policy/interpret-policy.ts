import { join } from 'node:path';
import type { BridgePolicy } from '../config/bridge-policy.js';
import { BRIDGE_FILE, parseBridgeConfig } from '../config/load-bridge-config.js';
import { parseProjectConfig, PROJECT_CONFIG_FILE } from '../config/load-project-config.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { isUserFacing } from '../errors.js';
import { formatIssue, parseAllowlist, type AllowEntry, type AllowlistIssue } from '../firewall/allowlist.js';
import { ALLOWLIST_FILES, type AllowlistFile } from '../firewall/project-allowlist.js';
import { certificatesIn } from '../image/ca-certificates.js';
import type { PolicySnapshot } from './policy-snapshot.js';
import { projectPath } from './read-host-file.js';

/** What a snapshot of the policy files means: the rights it gives the agent. */
export interface EffectivePolicy {
  config: ProjectConfig;
  allowlist: AllowlistFile[];
  allowEntries: AllowEntry[];
  /** Broad entries (a public suffix, a shared cloud domain, a wide range): allowed, with a word. */
  allowWarnings: AllowlistIssue[];
  caCertificates: { origin: string; path: string; pem: string }[];
  /** Extra bind mounts, with the real host folder each leads to. */
  mounts: { source: string; target: string; readOnly: boolean }[];
  /** The command bridge into the project's compose containers; none without a bridge.yaml. */
  bridge: BridgePolicy | undefined;
}

export type Interpretation = { policy: EffectivePolicy } | { problems: string[] };

/**
 * Reads a snapshot the way the runtime will use it. Each problem is a sentence naming the file
 * (and line) and what is wrong; a snapshot with problems cannot be approved or run.
 */
export async function interpretSnapshot(
  projectDir: string,
  snapshot: PolicySnapshot,
): Promise<Interpretation> {
  const problems: string[] = [];
  let config: ProjectConfig = {};
  const configText = snapshot.files[PROJECT_CONFIG_FILE];
  if (configText !== undefined) {
    try {
      config = await parseProjectConfig(join(projectDir, PROJECT_CONFIG_FILE), configText);
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      problems.push(error.message);
    }
  }

  let bridge: BridgePolicy | undefined;
  const bridgeText = snapshot.files[BRIDGE_FILE];
  if (bridgeText !== undefined) {
    try {
      bridge = await parseBridgeConfig(join(projectDir, BRIDGE_FILE), bridgeText, projectDir);
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      problems.push(error.message);
    }
  }

  const allowlist: AllowlistFile[] = ALLOWLIST_FILES.flatMap((path) => {
    const text = snapshot.files[path];
    return text === undefined ? [] : [{ path, text }];
  });
  const parsed = allowlist.map((file) => parseAllowlist(file.text, file.path));
  problems.push(...parsed.flatMap((p) => p.errors).map(formatIssue));

  const caCertificates: EffectivePolicy['caCertificates'] = [];
  for (const path of config.image?.caCertificates ?? []) {
    const text = snapshot.caCertificates[path];
    const source = {
      origin: `${PROJECT_CONFIG_FILE} image.caCertificates`,
      path: projectPath(projectDir, path),
    };
    if (text === undefined) {
      problems.push(`${path} (from ${source.origin}) was not read`);
      continue;
    }
    try {
      caCertificates.push({ ...source, pem: certificatesIn(text, source) });
    } catch (error) {
      if (!isUserFacing(error)) throw error;
      problems.push(error.message);
    }
  }

  const mounts: EffectivePolicy['mounts'] = [];
  for (const mount of config.mounts ?? []) {
    const real = snapshot.mountSources[mount.source];
    if (real === undefined)
      problems.push(`the mount source ${mount.source} (from ${PROJECT_CONFIG_FILE}) does not exist`);
    else mounts.push({ source: real, target: mount.target, readOnly: mount.readOnly });
  }

  if (problems.length) return { problems };
  return {
    policy: {
      config,
      allowlist,
      allowEntries: parsed.flatMap((p) => p.entries),
      allowWarnings: parsed.flatMap((p) => p.warnings),
      caCertificates,
      mounts,
      bridge,
    },
  };
}
