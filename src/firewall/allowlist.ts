import { domainToASCII } from 'node:url';

/**
 * The allowlist file format: one entry per line, `#` starts a comment, blank lines are ignored.
 * An entry is a domain name (it allows the name and its subdomains; a leading `*.` is accepted and
 * means the same) or, written on purpose, an address range in CIDR form. Pure functions only.
 */
export type AllowEntry =
  | { kind: 'domain'; value: string; source: string; line: number }
  | { kind: 'cidr4' | 'cidr6'; value: string; source: string; line: number };

export interface AllowlistIssue {
  source: string;
  line: number;
  text: string;
  reason: string;
}

export interface ParsedAllowlist {
  entries: AllowEntry[];
  errors: AllowlistIssue[];
  warnings: AllowlistIssue[];
}

export const MAX_ENTRIES = 20_000;
export const MAX_FILE_BYTES = 1024 * 1024;

/** Suffixes so shared that allowing one allows anyone's server. */
const BROAD_SUFFIXES = [
  'amazonaws.com',
  'cloudfront.net',
  'azureedge.net',
  'azurewebsites.net',
  'blob.core.windows.net',
  'googleusercontent.com',
  'googleapis.com',
  'appspot.com',
  'firebaseapp.com',
  'herokuapp.com',
  'github.io',
  'githubusercontent.com',
  'gitlab.io',
  'vercel.app',
  'netlify.app',
  'pages.dev',
  'workers.dev',
  'r2.dev',
  'ngrok.io',
  'ngrok-free.app',
  'fastly.net',
  'akamaihd.net',
  'cloudflare.net',
];

/** Public suffixes that people write by mistake as if they were a site. */
const PUBLIC_SUFFIXES = new Set([
  'com',
  'net',
  'org',
  'io',
  'dev',
  'app',
  'ai',
  'co',
  'me',
  'info',
  'biz',
  'xyz',
  'cloud',
  'site',
  'us',
  'uk',
  'de',
  'fr',
  'nl',
  'eu',
  'jp',
  'cn',
  'ru',
  'in',
  'br',
  'au',
  'ca',
  'ch',
  'se',
  'co.uk',
  'org.uk',
  'ac.uk',
  'com.au',
  'co.jp',
  'com.br',
  'co.in',
  'com.cn',
]);

const forbiddenCharacters = /[\s;&|`$<>\\"'(){}[\]!?~^=,@%+]/;
const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseAllowlist(text: string, source: string): ParsedAllowlist {
  const result: ParsedAllowlist = { entries: [], errors: [], warnings: [] };
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    result.errors.push({ source, line: 0, text: '', reason: `is larger than ${MAX_FILE_BYTES} bytes` });
    return result;
  }
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const entry = raw.replace(/#.*$/, '').trim();
    if (!entry) return;
    const outcome = parseEntry(entry);
    if ('reason' in outcome) {
      result.errors.push({ source, line, text: entry, reason: outcome.reason });
      return;
    }
    result.entries.push({ ...outcome.entry, source, line });
    if (outcome.warning) result.warnings.push({ source, line, text: entry, reason: outcome.warning });
  });
  if (result.entries.length > MAX_ENTRIES) {
    result.errors.push({ source, line: 0, text: '', reason: `has more than ${MAX_ENTRIES} entries` });
  }
  return result;
}

type EntryOutcome = { entry: Omit<AllowEntry, 'source' | 'line'>; warning?: string } | { reason: string };

export function parseEntry(entry: string): EntryOutcome {
  if (forbiddenCharacters.test(entry)) return { reason: 'has characters a domain name cannot have' };
  if (entry.includes('/')) return parseCidr(entry);
  if (/^[0-9.]+$/.test(entry) || entry.includes(':')) {
    return { reason: 'an IP address must be written as a CIDR range on purpose, e.g. 203.0.113.7/32' };
  }
  return parseDomain(entry);
}

function parseDomain(entry: string): EntryOutcome {
  let name = entry.toLowerCase();
  if (name.startsWith('*.')) name = name.slice(2);
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (forbiddenCharacters.test(name) || name.includes('*')) {
    return { reason: 'has characters a domain name cannot have' };
  }
  // Internationalized names are allowed and stored in their ASCII (punycode) form.
  const ascii = /^[\x20-\x7e]*$/.test(name) ? name : domainToASCII(name);
  if (!ascii) return { reason: 'is not a valid internationalized domain name' };
  if (ascii.length > 253) return { reason: 'is longer than 253 characters' };
  const labels = ascii.split('.');
  const bad = labels.find((l) => !label.test(l));
  if (bad !== undefined) {
    return {
      reason: `label "${bad}" is not 1-63 letters, digits or hyphens (not starting or ending with one)`,
    };
  }
  if (PUBLIC_SUFFIXES.has(ascii)) {
    return {
      entry: { kind: 'domain', value: ascii },
      warning: `allows every name under the public suffix .${ascii}`,
    };
  }
  const broad = BROAD_SUFFIXES.find((suffix) => ascii === suffix);
  if (broad) {
    return {
      entry: { kind: 'domain', value: ascii },
      warning: `allows every customer's server under ${broad}`,
    };
  }
  return { entry: { kind: 'domain', value: ascii } };
}

function parseCidr(entry: string): EntryOutcome {
  const [address = '', prefixText = '', ...rest] = entry.split('/');
  if (rest.length || !/^\d{1,3}$/.test(prefixText))
    return { reason: 'is not a CIDR range such as 203.0.113.0/24' };
  const prefix = Number(prefixText);
  if (address.includes(':')) {
    if (!isIpv6(address) || prefix > 128) return { reason: 'is not a valid IPv6 CIDR range' };
    const warning = prefix < 32 ? `is a very wide range (/${prefix})` : undefined;
    return {
      entry: { kind: 'cidr6', value: `${address.toLowerCase()}/${prefix}` },
      ...(warning ? { warning } : {}),
    };
  }
  const octets = address.split('.');
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255) || prefix > 32) {
    return { reason: 'is not a valid IPv4 CIDR range' };
  }
  const warning = prefix < 8 ? `is a very wide range (/${prefix})` : undefined;
  return {
    entry: { kind: 'cidr4', value: `${octets.map(Number).join('.')}/${prefix}` },
    ...(warning ? { warning } : {}),
  };
}

function isIpv6(address: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(address)) return false;
  const doubleColons = address.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = address.split(':').filter((g) => g !== '');
  if (groups.some((g) => g.length > 4 && !g.includes('.'))) return false;
  return doubleColons === 1 ? groups.length < 8 : groups.length === 8;
}

export function formatIssue(issue: AllowlistIssue): string {
  const where = issue.line ? `${issue.source}:${issue.line}` : issue.source;
  return issue.text ? `${where}: "${issue.text}" ${issue.reason}` : `${where}: ${issue.reason}`;
}
