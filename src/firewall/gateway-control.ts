import { open } from 'node:fs/promises';
import type { DockerEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';
import { execText } from '../docker/exec.js';

const firewallCommand = '/usr/local/lib/claude-tui/firewall';

/** firewall.sh writes each status it takes to the gateway's log too, after this. */
const STATUS_LOG_PREFIX = 'claude-tui-firewall-status: ';
/** The status line is among the last few: only the entrypoint writes there besides. */
const STATUS_LOG_TAIL = 20;

/** The gateway's own account of its firewall: protected (...), unprotected: reason, or off. */
export async function readFirewallStatus(engine: DockerEngine, gateway: string): Promise<string> {
  const result = await execText(engine, gateway, [firewallCommand, 'status']).catch(() => undefined);
  return result?.exitCode === 0 ? result.stdout.trim() : 'unknown: the gateway is not answering';
}

/**
 * The status for a session's go-ahead, without a process in the gateway: the copy the gateway
 * writes to a file of the host's, when it was written since the gateway last started (one from an
 * earlier run says nothing about this one). Otherwise, the gateway itself is asked; so too when
 * there is no such file (a remote project's gateway writes its copy on its own machine).
 */
export async function firewallStatusForStart(
  engine: DockerEngine,
  gateway: string,
  statusFile: string | undefined,
): Promise<string> {
  if (statusFile === undefined) return readFirewallStatus(engine, gateway);
  const [container, written] = await Promise.all([
    engine.inspectContainer(gateway).catch(() => undefined),
    readWrittenStatus(statusFile),
  ]);
  const started = Date.parse(container?.State.StartedAt ?? '');
  if (container?.State.Running && written?.text && written.at >= started) return written.text;
  return readFirewallStatus(engine, gateway);
}

async function readWrittenStatus(file: string): Promise<{ text: string; at: number } | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      const [stat, text] = [await handle.stat(), await handle.readFile('utf8')];
      return { text: text.trim(), at: stat.mtimeMs };
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * The same account, for showing: read from the gateway's log, which costs the Engine a file read
 * instead of a process in the gateway. The log is written with the status but copied by the
 * Engine a moment later, so decisions (start a session? did the reload apply?) ask the gateway
 * itself. Asks it here too when the log has no status line since the gateway started (another
 * log driver, a gateway made by an older image, or one that has not written its status yet).
 */
export async function peekFirewallStatus(engine: DockerEngine, gateway: string): Promise<string> {
  // The log outlives restarts, the status does not: only lines of this run count.
  const started = (await engine.inspectContainer(gateway).catch(() => undefined))?.State.StartedAt;
  const log = started ? await engine.containerLogs(gateway, STATUS_LOG_TAIL, started).catch(() => '') : '';
  return lastStatusInLog(log) ?? readFirewallStatus(engine, gateway);
}

export function lastStatusInLog(log: string): string | undefined {
  const line = log
    .split('\n')
    .findLast((l) => l.startsWith(STATUS_LOG_PREFIX))
    ?.slice(STATUS_LOG_PREFIX.length)
    .trim();
  return line || undefined;
}

/** Applies the policy already written for the gateway; existing connections are kept. */
export async function reloadFirewall(engine: DockerEngine, gateway: string): Promise<string> {
  const result = await execText(engine, gateway, [firewallCommand, 'reload']);
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
  const result = await execText(engine, gateway, [firewallCommand, 'refused']);
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
