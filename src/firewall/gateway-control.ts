import type { DockerEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';

const firewallCommand = '/usr/local/lib/claude-tui/firewall';

/** The gateway's own account of its firewall: protected (...), unprotected: reason, or off. */
export async function readFirewallStatus(engine: DockerEngine, gateway: string): Promise<string> {
  const result = await engine.exec(gateway, [firewallCommand, 'status']).catch(() => undefined);
  return result?.exitCode === 0 ? result.stdout.trim() : 'unknown: the gateway is not answering';
}

/** Applies the policy already written for the gateway; existing connections are kept. */
export async function reloadFirewall(engine: DockerEngine, gateway: string): Promise<string> {
  const result = await engine.exec(gateway, [firewallCommand, 'reload']);
  const status = result.stdout.trim() || result.stderr.trim();
  if (result.exitCode !== 0) {
    throw new UserError(
      `The gateway could not apply the firewall: ${status.replace(/^firewall: /, '')}`,
      'The previous rules stay in force (or everything is denied). Fix the cause and run `claude-tui allow apply`.',
    );
  }
  return status;
}

export interface RefusedEntry {
  kind: 'dns' | 'connection';
  /** A name for DNS; "tcp 192.0.2.1.443" style for connections. */
  target: string;
  count: number;
  last: string;
}

export async function readRefused(
  engine: DockerEngine,
  gateway: string,
  now = new Date(),
): Promise<RefusedEntry[]> {
  const result = await engine.exec(gateway, [firewallCommand, 'refused']);
  if (result.exitCode !== 0)
    throw new UserError(`The gateway could not list refused traffic: ${result.stderr.trim()}`);
  return parseRefused(result.stdout, now);
}

/** Parses `firewall refused` output (tab-separated; see images/firewall.sh). */
export function parseRefused(text: string, now: Date): RefusedEntry[] {
  const entries: RefusedEntry[] = [];
  for (const line of text.split('\n')) {
    const [kind, target, count, last] = line.split('\t');
    if (!kind || !target || !count || !last) continue;
    entries.push({
      kind: kind === 'dns' ? 'dns' : 'connection',
      target,
      count: Number(count),
      last: kind === 'dns' ? syslogTime(last, now) : new Date(Number(last) * 1000).toISOString(),
    });
  }
  return entries.sort((a, b) => b.count - a.count || a.target.localeCompare(b.target));
}

/** dnsmasq logs "Nov 22 14:05:31" without a year: take the latest such moment not in the future. */
function syslogTime(text: string, now: Date): string {
  const parsed = new Date(`${text} ${now.getUTCFullYear()} UTC`);
  if (Number.isNaN(parsed.getTime())) return text;
  if (parsed.getTime() > now.getTime() + 60_000) parsed.setUTCFullYear(parsed.getUTCFullYear() - 1);
  return parsed.toISOString();
}
