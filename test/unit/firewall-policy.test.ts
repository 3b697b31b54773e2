import { describe, expect, it } from 'vitest';
import { parseAllowlist } from '../../src/firewall/allowlist.js';
import { DEFAULT_DOMAINS } from '../../src/firewall/defaults.js';
import { parseRefused } from '../../src/firewall/gateway-control.js';
import { rangesFromMeta } from '../../src/firewall/github-meta.js';
import { buildPolicy, renderPolicyFiles } from '../../src/firewall/policy.js';
import { hostOf } from '../../src/firewall/registries.js';

const entries = parseAllowlist('allowed.test\n198.51.100.0/24\n2001:db8::/32\n', 'f').entries;

describe('buildPolicy', () => {
  it('joins the defaults, the registries, GitHub ranges and the project entries', () => {
    const policy = buildPolicy({
      config: undefined,
      projectEntries: entries,
      registryHosts: ['registry.example'],
      githubRanges: { v4: ['192.0.2.0/24'], v6: ['2001:db8:1::/48'] },
    });
    expect(policy.enabled).toBe(true);
    expect(policy.domains).toEqual(
      [...new Set([...DEFAULT_DOMAINS, 'registry.example', 'allowed.test'])].sort(),
    );
    expect(policy.cidrs4).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
    expect(policy.cidrs6).toEqual(['2001:db8:1::/48', '2001:db8::/32']);
    expect(policy.upstream).toBe('127.0.0.11');
    expect(policy.aptSources).toBe(true);
  });

  it('leaves out every default when the project turns them off', () => {
    const policy = buildPolicy({
      config: { defaults: false, hostPorts: [8080, 3000, 8080], dnsUpstream: '10.0.0.53' },
      projectEntries: entries,
      registryHosts: ['registry.example'],
      githubRanges: { v4: ['192.0.2.0/24'], v6: [] },
    });
    expect(policy.domains).toEqual(['allowed.test']);
    expect(policy.cidrs4).toEqual(['198.51.100.0/24']);
    expect(policy.hostPorts).toEqual([3000, 8080]);
    expect(policy.upstream).toBe('10.0.0.53');
    expect(policy.aptSources).toBe(false);
  });

  it('takes self-check targets from the project, then the app settings, then the defaults', () => {
    const base = { projectEntries: [], registryHosts: [], githubRanges: undefined };
    expect(buildPolicy({ ...base, config: { selfCheck: { blocked: ['b.test:80'] } } }).checkBlocked).toEqual([
      'b.test:80',
    ]);
    expect(buildPolicy({ ...base, config: {}, appSelfCheck: { blocked: [] } }).checkBlocked).toEqual([]);
    expect(buildPolicy({ ...base, config: {} }).checkBlocked).toEqual(['192.0.2.1:80']);
  });
});

describe('renderPolicyFiles', () => {
  it('writes quoted settings and one entry per line', () => {
    const files = renderPolicyFiles(
      buildPolicy({
        config: { enabled: false },
        projectEntries: entries,
        registryHosts: [],
        githubRanges: undefined,
      }),
    );
    expect(files['settings.env']).toContain("FIREWALL='off'\n");
    expect(files['domains.txt']).toContain('allowed.test\n');
    expect(files['cidrs6.txt']).toBe('2001:db8::/32\n');
  });

  it('refuses to write a value that was not validated', () => {
    const policy = buildPolicy({
      config: {},
      projectEntries: [],
      registryHosts: [],
      githubRanges: undefined,
    });
    expect(() => renderPolicyFiles({ ...policy, upstream: "1.2.3.4'; rm -rf /" })).toThrow(/unvalidated/);
  });
});

describe('helpers', () => {
  it('splits GitHub meta into IPv4 and IPv6 ranges, without duplicates', () => {
    const ranges = rangesFromMeta({
      web: ['192.0.2.0/24', '2001:db8::/32'],
      api: ['192.0.2.0/24'],
      git: 7,
      hooks: ['x'],
    });
    expect(ranges).toEqual({ v4: ['192.0.2.0/24'], v6: ['2001:db8::/32'] });
  });

  it('takes the host of http(s) registry URLs only', () => {
    expect(hostOf('https://Registry.Example:8443/npm/')).toBe('registry.example');
    expect(hostOf('file:///opt/wheels')).toBeUndefined();
    expect(hostOf('not a url')).toBeUndefined();
  });

  it('parses the gateway’s refused list, newest year for syslog times', () => {
    const now = new Date('2026-01-02T00:00:00Z');
    const refused = parseRefused(
      'dns\tblocked.test\t3\tDec 31 23:59:00\nconn\ttcp 192.0.2.1.443\t5\t1767225600\n',
      now,
    );
    expect(refused).toEqual([
      { kind: 'connection', target: 'tcp 192.0.2.1.443', count: 5, last: '2026-01-01T00:00:00.000Z' },
      { kind: 'dns', target: 'blocked.test', count: 3, last: '2025-12-31T23:59:00.000Z' },
    ]);
  });
});
