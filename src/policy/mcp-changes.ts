import { isIP } from 'node:net';
import { mcpServers, type McpServer } from '../config/mcp-servers.js';
import type { ProjectConfig } from '../config/project-config-schema.js';

/** Whether the firewall, as a policy has it, lets the agent reach a host name or address. */
export type ReachCheck = (host: string) => boolean;

type Say = (text: string) => void;

/**
 * MCP servers compared: a new server, or any change to one (its command, arguments, env, url or
 * port), widens what the agent can run or reach; a server removed narrows it.
 */
export function compareMcpServers(
  was: ProjectConfig,
  now: ProjectConfig,
  reaches: ReachCheck,
  on: { widen: Say; narrow: Say },
): void {
  const before = new Map(mcpServers(was).map((s) => [s.name, s]));
  const after = mcpServers(now);
  for (const server of after) {
    const old = before.get(server.name);
    if (old && JSON.stringify(old) === JSON.stringify(server)) continue;
    const verb = old ? 'changes' : 'adds';
    on.widen(`${verb} the MCP server ${server.name}: ${describeServer(server)}${reachNote(server, reaches)}`);
  }
  const names = new Set(after.map((s) => s.name));
  for (const name of before.keys()) if (!names.has(name)) on.narrow(`removes the MCP server ${name}`);
}

/** For the approved servers: each remote one the firewall would keep the agent from, said plainly. */
export function mcpReachNotes(config: ProjectConfig, reaches: ReachCheck): string[] {
  return mcpServers(config).flatMap((server) =>
    server.place === 'remote' && !reachable(server.remoteHost, reaches)
      ? [
          `The MCP server ${server.name} is at ${server.remoteHost}, which the allowlist does not allow: the agent cannot reach it. Add ${server.remoteHost} to .claude/allowed-domains.txt (claude-tui allow add).`,
        ]
      : [],
  );
}

function describeServer(server: McpServer): string {
  const { entry } = server;
  if (entry.type === 'stdio') {
    const env = Object.keys(entry.env);
    const withEnv = env.length ? ` (env ${env.join(', ')})` : '';
    return `runs ${[entry.command, ...entry.args].join(' ')} in the agent container${withEnv}`;
  }
  if (server.place === 'host') {
    return `${entry.url} (${entry.type}) on your machine, opening port ${server.hostPort} on the host`;
  }
  return `${entry.url} (${entry.type})`;
}

function reachNote(server: McpServer, reaches: ReachCheck): string {
  if (server.place !== 'remote' || reachable(server.remoteHost, reaches)) return '';
  return ` (warning: the allowlist does not allow ${server.remoteHost}, so the agent cannot reach it)`;
}

/** Loopback never goes through the firewall. */
function reachable(host: string, reaches: ReachCheck): boolean {
  if (host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))) return true;
  return reaches(host);
}
