import type { ProjectConfig } from '../../src/config/project-config-schema.js';
import { parseAllowlist } from '../../src/firewall/allowlist.js';
import type { EffectivePolicy } from '../../src/policy/interpret-policy.js';

/** A policy as interpreted from a config (and an allowlist's text), for classification tests. */
export function effectivePolicy(config: ProjectConfig = {}, allow = ''): EffectivePolicy {
  const parsed = parseAllowlist(allow, '.claude/allowed-domains.txt');
  return {
    config,
    allowlist: [],
    allowEntries: parsed.entries,
    allowWarnings: parsed.warnings,
    caCertificates: [],
    mounts: [],
    bridge: undefined,
  };
}
