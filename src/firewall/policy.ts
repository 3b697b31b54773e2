import type { ProjectConfig } from '../config/project-config-schema.js';
import type { AllowEntry } from './allowlist.js';
import { DEFAULT_CHECK_ALLOWED, DEFAULT_CHECK_BLOCKED, DEFAULT_DOMAINS, DOCKER_DNS } from './defaults.js';
import type { AddressRanges } from './github-meta.js';

/** Everything the gateway enforces, decided on the host. */
export interface FirewallPolicy {
  enabled: boolean;
  domains: string[];
  cidrs4: string[];
  cidrs6: string[];
  hostPorts: number[];
  upstream: string;
  checkBlocked: string[];
  checkAllowed: string[];
  aptSources: boolean;
}

export interface PolicyInputs {
  config: ProjectConfig['firewall'];
  appSelfCheck?: { blocked?: string[]; allowed?: string[] };
  /** The approved project entries. */
  projectEntries: readonly AllowEntry[];
  /** Host ports of the approved MCP servers on the host: opened like `hostPorts`. */
  mcpHostPorts?: readonly number[];
  registryHosts: readonly string[];
  githubRanges: AddressRanges | undefined;
}

const sortedUnique = (values: Iterable<string>) => [...new Set(values)].sort();

export function buildPolicy(inputs: PolicyInputs): FirewallPolicy {
  const config = inputs.config ?? {};
  const withDefaults = config.defaults !== false;
  const domains = inputs.projectEntries.filter((e) => e.kind === 'domain').map((e) => e.value);
  const cidrs = (kind: 'cidr4' | 'cidr6') =>
    inputs.projectEntries.filter((e) => e.kind === kind).map((e) => e.value);
  return {
    enabled: config.enabled !== false,
    domains: sortedUnique([
      ...(withDefaults ? [...DEFAULT_DOMAINS, ...inputs.registryHosts] : []),
      ...domains,
    ]),
    cidrs4: sortedUnique([...(withDefaults ? (inputs.githubRanges?.v4 ?? []) : []), ...cidrs('cidr4')]),
    cidrs6: sortedUnique([...(withDefaults ? (inputs.githubRanges?.v6 ?? []) : []), ...cidrs('cidr6')]),
    hostPorts: [...new Set([...(config.hostPorts ?? []), ...(inputs.mcpHostPorts ?? [])])].sort(
      (a, b) => a - b,
    ),
    upstream: config.dnsUpstream ?? DOCKER_DNS,
    checkBlocked: config.selfCheck?.blocked ?? inputs.appSelfCheck?.blocked ?? DEFAULT_CHECK_BLOCKED,
    checkAllowed: config.selfCheck?.allowed ?? inputs.appSelfCheck?.allowed ?? DEFAULT_CHECK_ALLOWED,
    aptSources: withDefaults,
  };
}

/** The files the gateway reads (images/firewall.sh). Every value was validated before it got here. */
export function renderPolicyFiles(policy: FirewallPolicy): Record<string, string> {
  const quote = (value: string) => {
    if (!/^[A-Za-z0-9.:_ -]*$/.test(value))
      throw new Error(`refusing to write an unvalidated value: ${value}`);
    return `'${value}'`;
  };
  const settings = [
    `FIREWALL=${quote(policy.enabled ? 'on' : 'off')}`,
    `UPSTREAM=${quote(policy.upstream)}`,
    `HOST_PORTS=${quote(policy.hostPorts.join(' '))}`,
    `CHECK_BLOCKED=${quote(policy.checkBlocked.join(' '))}`,
    `CHECK_ALLOWED=${quote(policy.checkAllowed.join(' '))}`,
    `APT_SOURCES=${quote(policy.aptSources ? 'on' : 'off')}`,
  ];
  const list = (values: readonly string[]) => (values.length ? values.join('\n') + '\n' : '');
  return {
    'settings.env': settings.join('\n') + '\n',
    'domains.txt': list(policy.domains),
    'cidrs4.txt': list(policy.cidrs4),
    'cidrs6.txt': list(policy.cidrs6),
  };
}

/** What the agent's /etc/resolv.conf says: only the gateway's resolver. */
export const AGENT_RESOLV_CONF = 'nameserver 127.0.0.1\noptions ndots:0 attempts:2 timeout:2\n';
