import { BlockList, isIP } from 'node:net';
import type { ProjectConfig } from '../config/project-config-schema.js';
import type { AllowEntry } from '../firewall/allowlist.js';
import { DEFAULT_DOMAINS } from '../firewall/defaults.js';
import { compareBridge } from './bridge-changes.js';
import { compareSecrets } from './classify-secrets.js';
import type { EffectivePolicy } from './interpret-policy.js';
import { compareMcpServers } from './mcp-changes.js';

/**
 * What a proposed policy changes against the approved one, each change sorted into what widens the
 * agent's rights (needs a person's yes) and what only narrows them (may apply at once). Anything
 * not known to narrow counts as widening: a setting this code does not understand is never let
 * through as harmless.
 */
export type ChangeKind =
  | 'firewall'
  | 'allowlist'
  | 'host-ports'
  | 'dns'
  | 'self-check'
  | 'networks'
  | 'mounts'
  | 'env'
  | 'image'
  | 'ca-certificates'
  | 'agent'
  | 'bridge'
  | 'mcp'
  | 'secrets'
  | 'ssh';

export interface PolicyChange {
  kind: ChangeKind;
  text: string;
}

export interface Classified {
  widens: PolicyChange[];
  narrows: PolicyChange[];
}

export function classifyChange(approved: EffectivePolicy, proposed: EffectivePolicy): Classified {
  const result: Classified = { widens: [], narrows: [] };
  const widen = (kind: ChangeKind, text: string) => result.widens.push({ kind, text });
  const narrow = (kind: ChangeKind, text: string) => result.narrows.push({ kind, text });
  const [was, now] = [approved.config, proposed.config];

  const enabled = (c: ProjectConfig) => c.firewall?.enabled !== false;
  if (enabled(was) && !enabled(now)) widen('firewall', 'turns the firewall off');
  if (!enabled(was) && enabled(now)) narrow('firewall', 'turns the firewall on');
  const defaults = (c: ProjectConfig) => c.firewall?.defaults !== false;
  if (!defaults(was) && defaults(now))
    widen('allowlist', 'turns the default allowlist on (GitHub, Anthropic, package registries)');
  if (defaults(was) && !defaults(now)) narrow('allowlist', 'turns the default allowlist off');

  compareEntries(approved, proposed, defaults(was), widen, narrow);
  compareSets(was.firewall?.hostPorts, now.firewall?.hostPorts, String, {
    added: (port) => widen('host-ports', `opens port ${port} on the host`),
    removed: (port) => narrow('host-ports', `closes port ${port} on the host`),
  });
  if (was.firewall?.dnsUpstream !== now.firewall?.dnsUpstream) {
    widen('dns', `resolves allowed names through ${now.firewall?.dnsUpstream ?? "Docker's resolver"}`);
  }
  if (!same(was.firewall?.selfCheck, now.firewall?.selfCheck)) {
    widen('self-check', 'changes what the firewall self-check tests');
  }
  compareSets(was.networks, now.networks, String, {
    added: (name) => widen('networks', `joins the Docker network ${name}`),
    removed: (name) => narrow('networks', `leaves the Docker network ${name}`),
  });
  compareMounts(approved.mounts, proposed.mounts, widen, narrow);
  compareEnv(was.env ?? {}, now.env ?? {}, widen);
  compareImage(was, now, widen);
  compareSets(
    approved.caCertificates.map((c) => c.pem),
    proposed.caCertificates.map((c) => c.pem),
    (pem) => pem,
    {
      added: (pem) =>
        widen('ca-certificates', `trusts a CA certificate from ${certificatePath(proposed, pem)}`),
      removed: (pem) =>
        narrow(
          'ca-certificates',
          `no longer trusts the CA certificate from ${certificatePath(approved, pem)}`,
        ),
    },
  );
  if (!same(was.agent?.command, now.agent?.command)) {
    widen('agent', `runs another agent command: ${[now.agent?.command ?? 'claude'].flat().join(' ')}`);
  }
  if (!was.agent?.yolo && now.agent?.yolo)
    widen('agent', 'lets Claude act without asking (--dangerously-skip-permissions)');
  if (was.agent?.yolo && !now.agent?.yolo) narrow('agent', 'makes Claude ask before acting again');
  compareBridge(approved.bridge, proposed.bridge, {
    widen: (text) => widen('bridge', text),
    narrow: (text) => narrow('bridge', text),
  });
  compareMcpServers(was, now, (host) => allowsHost(proposed, host), {
    widen: (text) => widen('mcp', text),
    narrow: (text) => narrow('mcp', text),
  });
  compareSecrets(was.secrets, now.secrets, {
    widen: (text) => widen('secrets', text),
    narrow: (text) => narrow('secrets', text),
  });
  // The person's SSH agent signs for whoever holds the socket: wherever their keys open, so can the agent.
  if (!was.ssh?.agent && now.ssh?.agent)
    widen(
      'ssh',
      'lends the agent your SSH agent: it can use your keys wherever they work (git push, servers)',
    );
  if (was.ssh?.agent && !now.ssh?.agent) narrow('ssh', 'no longer lends the agent your SSH agent');
  return result;
}

/** Whether the policy's firewall lets the agent reach a host name or address. */
export function allowsHost(policy: EffectivePolicy, host: string): boolean {
  const { firewall } = policy.config;
  if (firewall?.enabled === false) return true;
  const defaults: AllowEntry[] =
    firewall?.defaults === false
      ? []
      : DEFAULT_DOMAINS.map((value) => ({ kind: 'domain', value, source: 'default', line: 0 }));
  const family = isIP(host);
  const source = { source: 'mcp', line: 0 };
  const entry: AllowEntry =
    family === 0
      ? { kind: 'domain', value: host.toLowerCase(), ...source }
      : family === 4
        ? { kind: 'cidr4', value: `${host}/32`, ...source }
        : { kind: 'cidr6', value: `${host}/128`, ...source };
  return covers([...policy.allowEntries, ...defaults], entry);
}

function compareEntries(
  approved: EffectivePolicy,
  proposed: EffectivePolicy,
  defaultsOn: boolean,
  widen: (kind: ChangeKind, text: string) => void,
  narrow: (kind: ChangeKind, text: string) => void,
): void {
  const defaults: AllowEntry[] = defaultsOn
    ? DEFAULT_DOMAINS.map((value) => ({ kind: 'domain', value, source: 'default', line: 0 }))
    : [];
  const warnings = new Map(proposed.allowWarnings.map((w) => [w.text, w.reason]));
  for (const entry of unique(proposed.allowEntries)) {
    if (covers([...approved.allowEntries, ...defaults], entry)) continue;
    const warning = warnings.get(entry.value);
    widen('allowlist', `allows ${entry.value}${warning ? ` (warning: ${warning})` : ''}`);
  }
  for (const entry of unique(approved.allowEntries)) {
    if (!covers(proposed.allowEntries, entry)) narrow('allowlist', `no longer allows ${entry.value}`);
  }
}

/** Whether the entries already allow everything `entry` allows. */
export function covers(entries: readonly AllowEntry[], entry: AllowEntry): boolean {
  if (entry.kind === 'domain') {
    return entries.some(
      (e) => e.kind === 'domain' && (entry.value === e.value || entry.value.endsWith(`.${e.value}`)),
    );
  }
  const [address = '', prefixText = ''] = entry.value.split('/');
  const family = entry.kind === 'cidr4' ? 'ipv4' : 'ipv6';
  return entries.some((e) => {
    if (e.kind !== entry.kind) return false;
    const [network = '', widerText = ''] = e.value.split('/');
    // A range inside a wider one: its first address falls in it, and it is no wider itself.
    if (Number(widerText) > Number(prefixText)) return false;
    const list = new BlockList();
    try {
      list.addSubnet(network, Number(widerText), family);
      return list.check(address, family);
    } catch {
      return false;
    }
  });
}

function compareMounts(
  was: EffectivePolicy['mounts'],
  now: EffectivePolicy['mounts'],
  widen: (kind: ChangeKind, text: string) => void,
  narrow: (kind: ChangeKind, text: string) => void,
): void {
  const mode = (readOnly: boolean) => (readOnly ? 'read-only' : 'read-write');
  for (const mount of now) {
    const before = was.find((m) => m.target === mount.target);
    if (!before || before.source !== mount.source) {
      widen('mounts', `mounts ${mount.source} at ${mount.target} (${mode(mount.readOnly)})`);
    } else if (before.readOnly && !mount.readOnly) {
      widen('mounts', `makes the mount at ${mount.target} writable`);
    } else if (!before.readOnly && mount.readOnly) {
      narrow('mounts', `makes the mount at ${mount.target} read-only`);
    }
  }
  for (const mount of was) {
    if (!now.some((m) => m.target === mount.target)) narrow('mounts', `removes the mount at ${mount.target}`);
  }
}

function compareEnv(
  was: Record<string, string>,
  now: Record<string, string>,
  widen: (kind: ChangeKind, text: string) => void,
): void {
  // Any variable may switch a tool's behaviour either way: every change needs a yes.
  for (const name of Object.keys(now)) {
    if (!(name in was)) widen('env', `sets the environment variable ${name}`);
    else if (was[name] !== now[name]) widen('env', `changes the environment variable ${name}`);
  }
  for (const name of Object.keys(was)) {
    if (!(name in now)) widen('env', `unsets the environment variable ${name}`);
  }
}

function compareImage(
  was: ProjectConfig,
  now: ProjectConfig,
  widen: (kind: ChangeKind, text: string) => void,
) {
  const fields = [
    ['base', 'builds on another base image'],
    ['agentVersion', 'installs another agent CLI version'],
    ['npmRegistry', 'fetches the agent CLI from another registry'],
  ] as const;
  for (const [field, text] of fields) {
    const value = now.image?.[field];
    if (was.image?.[field] !== value) widen('image', `${text}: ${value ?? 'the default'}`);
  }
}

function compareSets<T>(
  was: readonly T[] | undefined,
  now: readonly T[] | undefined,
  key: (value: T) => string,
  on: { added: (value: T) => void; removed: (value: T) => void },
): void {
  const before = new Set((was ?? []).map(key));
  const after = new Set((now ?? []).map(key));
  for (const value of now ?? []) if (!before.has(key(value))) on.added(value);
  for (const value of was ?? []) if (!after.has(key(value))) on.removed(value);
}

function certificatePath(policy: EffectivePolicy, pem: string): string {
  return policy.caCertificates.find((c) => c.pem === pem)?.path ?? 'a file';
}

function unique(entries: readonly AllowEntry[]): AllowEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.value) && seen.add(e.value));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
