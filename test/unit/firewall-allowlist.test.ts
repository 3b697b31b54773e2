import { describe, expect, it } from 'vitest';
import { formatIssue, MAX_ENTRIES, parseAllowlist } from '../../src/firewall/allowlist.js';
import { addEntries, removeEntries } from '../../src/firewall/allowlist-edit.js';

describe('parseAllowlist', () => {
  it('reads names and ranges, skipping comments and blank lines, with their line numbers', () => {
    const parsed = parseAllowlist(
      '# comment\n\nExample.COM  # trailing\n*.corp.example\n203.0.113.0/24\n2001:db8::/48\n',
      'f.txt',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.entries.map((e) => [e.kind, e.value, e.line])).toEqual([
      ['domain', 'example.com', 3],
      ['domain', 'corp.example', 4],
      ['cidr4', '203.0.113.0/24', 5],
      ['cidr6', '2001:db8::/48', 6],
    ]);
  });

  it('stores internationalized names in their ASCII form', () => {
    expect(parseAllowlist('bücher.example\n', 'f').entries[0]?.value).toBe('xn--bcher-kva.example');
  });

  it.each([
    ['1.2.3.4', 'an IP address must be written as a CIDR range on purpose'],
    ['2001:db8::1', 'an IP address must be written as a CIDR range on purpose'],
    ['evil.com;rm -rf /', 'has characters a domain name cannot have'],
    ['$(curl x)', 'has characters a domain name cannot have'],
    ['-bad.example', 'is not 1-63 letters'],
    [`${'a'.repeat(64)}.example`, 'is not 1-63 letters'],
    ['10.0.0.0/33', 'is not a valid IPv4 CIDR range'],
    ['300.1.1.0/24', 'is not a valid IPv4 CIDR range'],
    ['10.0.0.0/x', 'is not a CIDR range'],
    ['gg::/64', 'is not a valid IPv6 CIDR range'],
  ])('rejects %s', (entry, reason) => {
    const parsed = parseAllowlist(`ok.example\n${entry}\n`, '.claude/allowed-domains.txt');
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]?.line).toBe(2);
    expect(parsed.errors[0]?.reason).toContain(reason);
    expect(formatIssue(parsed.errors[0]!)).toMatch(/^\.claude\/allowed-domains\.txt:2: /);
  });

  it('warns about entries that allow far more than one site', () => {
    const parsed = parseAllowlist('com\namazonaws.com\nco.uk\n0.0.0.0/0\nfine.example\n', 'f');
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings.map((w) => w.line)).toEqual([1, 2, 3, 4]);
    expect(parsed.warnings[1]?.reason).toContain('amazonaws.com');
  });

  it('caps the number of entries', () => {
    const text = Array.from({ length: MAX_ENTRIES + 1 }, (_, i) => `h${i}.example`).join('\n');
    expect(parseAllowlist(text, 'f').errors.at(-1)?.reason).toContain(`more than ${MAX_ENTRIES}`);
  });
});

describe('allowlist edits', () => {
  it('appends only what is missing and keeps comments', () => {
    const result = addEntries('# mine\nexample.com', ['example.com', 'new.example']);
    expect(result.added).toEqual(['new.example']);
    expect(result.text).toBe('# mine\nexample.com\nnew.example\n');
  });

  it('removes an entry however it was written, and nothing else', () => {
    const result = removeEntries('# keep\n*.Example.com  # old\nother.example\n', ['example.com']);
    expect(result.removed).toEqual(['example.com']);
    expect(result.text).toBe('# keep\nother.example\n');
  });
});
