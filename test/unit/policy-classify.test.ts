import { describe, expect, it } from 'vitest';
import type { ProjectConfig } from '../../src/config/project-config-schema.js';
import { parseAllowlist } from '../../src/firewall/allowlist.js';
import { classifyChange, covers } from '../../src/policy/classify-change.js';
import type { EffectivePolicy } from '../../src/policy/interpret-policy.js';

function policy(
  config: ProjectConfig = {},
  allow = '',
  extra: Partial<EffectivePolicy> = {},
): EffectivePolicy {
  const parsed = parseAllowlist(allow, '.claude/allowed-domains.txt');
  return {
    config,
    allowlist: allow ? [{ path: '.claude/allowed-domains.txt', text: allow }] : [],
    allowEntries: parsed.entries,
    allowWarnings: parsed.warnings,
    caCertificates: [],
    mounts: (config.mounts ?? []).map((m) => ({ ...m, source: `/real${m.source}` })),
    bridge: undefined,
    ...extra,
  };
}

const texts = (changes: { text: string }[]) => changes.map((c) => c.text);

describe('classifyChange', () => {
  it('finds nothing between equal policies, whatever the comments say', () => {
    expect(classifyChange(policy({}, 'a.example\n'), policy({}, '# ours\na.example\n'))).toEqual({
      widens: [],
      narrows: [],
    });
  });

  it('calls the firewall turned off a widening, and turned on a narrowing', () => {
    const on = policy();
    const off = policy({ firewall: { enabled: false } });
    expect(texts(classifyChange(on, off).widens)).toEqual(['turns the firewall off']);
    expect(classifyChange(on, off).narrows).toEqual([]);
    expect(texts(classifyChange(off, on).narrows)).toEqual(['turns the firewall on']);
    expect(classifyChange(off, on).widens).toEqual([]);
  });

  it('treats the defaults: off narrows, back on widens', () => {
    const off = policy({ firewall: { defaults: false } });
    expect(classifyChange(policy(), off)).toEqual({
      widens: [],
      narrows: [{ kind: 'allowlist', text: 'turns the default allowlist off' }],
    });
    expect(texts(classifyChange(off, policy()).widens)[0]).toMatch(/^turns the default allowlist on/);
  });

  it('widens for a new entry, narrows for a removed one, and ignores one an approved entry covers', () => {
    const approved = policy({}, 'example.com\n203.0.113.0/24\n');
    const result = classifyChange(
      approved,
      policy({}, 'api.example.com\n203.0.113.128/25\nother.test\n2001:db8::/48\n'),
    );
    expect(texts(result.widens)).toEqual(['allows other.test', 'allows 2001:db8::/48']);
    expect(texts(result.narrows)).toEqual([
      'no longer allows example.com',
      'no longer allows 203.0.113.0/24',
    ]);
  });

  it('does not count a default name added to the project as a widening while the defaults are on', () => {
    expect(classifyChange(policy(), policy({}, 'github.com\n')).widens).toEqual([]);
    expect(
      texts(
        classifyChange(
          policy({ firewall: { defaults: false } }),
          policy({ firewall: { defaults: false } }, 'github.com\n'),
        ).widens,
      ),
    ).toEqual(['allows github.com']);
  });

  it('says when a new entry is broad', () => {
    expect(texts(classifyChange(policy(), policy({}, 'amazonaws.com\n')).widens)).toEqual([
      "allows amazonaws.com (warning: allows every customer's server under amazonaws.com)",
    ]);
  });

  it('sorts host ports, networks and mounts into opening and closing', () => {
    const was = policy({
      firewall: { hostPorts: [3000] },
      networks: ['db'],
      mounts: [
        { source: '/a', target: '/a', readOnly: true },
        { source: '/b', target: '/b', readOnly: false },
        { source: '/gone', target: '/gone', readOnly: true },
      ],
    });
    const now = policy({
      firewall: { hostPorts: [8080] },
      networks: ['cache'],
      mounts: [
        { source: '/a', target: '/a', readOnly: false },
        { source: '/b', target: '/b', readOnly: true },
        { source: '/loot', target: '/loot', readOnly: false },
      ],
    });
    const result = classifyChange(was, now);
    expect(texts(result.widens)).toEqual([
      'opens port 8080 on the host',
      'joins the Docker network cache',
      'makes the mount at /a writable',
      'mounts /real/loot at /loot (read-write)',
    ]);
    expect(texts(result.narrows)).toEqual([
      'closes port 3000 on the host',
      'leaves the Docker network db',
      'makes the mount at /b read-only',
      'removes the mount at /gone',
    ]);
  });

  it('calls a mount whose source now leads elsewhere a widening', () => {
    const was = policy({}, '', { mounts: [{ source: '/home/me/data', target: '/data', readOnly: true }] });
    const now = policy({}, '', { mounts: [{ source: '/home/me/.ssh', target: '/data', readOnly: true }] });
    expect(texts(classifyChange(was, now).widens)).toEqual(['mounts /home/me/.ssh at /data (read-only)']);
  });

  it('needs a yes for every environment change, even an unset', () => {
    const result = classifyChange(
      policy({ env: { KEEP: '1', CHANGE: 'a', DROP: 'x' } }),
      policy({ env: { KEEP: '1', CHANGE: 'b', ADD: 'y' } }),
    );
    expect(texts(result.widens)).toEqual([
      'changes the environment variable CHANGE',
      'sets the environment variable ADD',
      'unsets the environment variable DROP',
    ]);
    expect(result.narrows).toEqual([]);
  });

  it('needs a yes for the image, the resolver, the self-check and the agent command', () => {
    const result = classifyChange(
      policy(),
      policy({
        image: { base: 'evil:latest' },
        firewall: { dnsUpstream: '10.0.0.53', selfCheck: { blocked: [] } },
        agent: { command: ['sh', '-c', 'curl x'], yolo: true },
      }),
    );
    expect(result.widens.map((c) => c.kind)).toEqual(['dns', 'self-check', 'image', 'agent', 'agent']);
    expect(texts(result.widens)).toContain('builds on another base image: evil:latest');
    expect(texts(result.widens)).toContain('runs another agent command: sh -c curl x');
  });

  it('widens for a new CA certificate or bridge, narrows when either goes', () => {
    const ca = { origin: 'config', path: '/p/ca.pem', pem: 'PEM' };
    const bridge = { composeProject: 'shop', defaultContainer: undefined, containers: {}, commands: {} };
    const was = policy();
    const now = policy({}, '', { caCertificates: [ca], bridge });
    expect(texts(classifyChange(was, now).widens)).toEqual([
      'trusts a CA certificate from /p/ca.pem',
      'adds a command bridge into the compose project shop',
    ]);
    expect(texts(classifyChange(now, was).narrows)).toEqual([
      'no longer trusts the CA certificate from /p/ca.pem',
      'removes the command bridge',
    ]);
  });
});

describe('covers', () => {
  const entries = parseAllowlist('example.com\n10.0.0.0/8\n2001:db8::/32\n', 'f').entries;
  const entry = (text: string) => parseAllowlist(text, 'f').entries[0]!;

  it('takes a subdomain and a narrower range as covered, nothing else', () => {
    expect(covers(entries, entry('deep.api.example.com'))).toBe(true);
    expect(covers(entries, entry('notexample.com'))).toBe(false);
    expect(covers(entries, entry('10.20.0.0/16'))).toBe(true);
    expect(covers(entries, entry('11.0.0.0/16'))).toBe(false);
    expect(covers(entries, entry('0.0.0.0/0'))).toBe(false);
    expect(covers(entries, entry('2001:db8:1::/48'))).toBe(true);
    expect(covers(entries, entry('2001:db9::/48'))).toBe(false);
  });
});
