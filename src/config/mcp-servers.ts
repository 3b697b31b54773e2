import type { McpServerConfig } from './mcp-config-schema.js';
import type { ProjectConfig } from './project-config-schema.js';

/** The name the agent reaches the person's machine by (the gateway maps it to the host). */
export const HOST_NAME = 'host.docker.internal';

/** One server as Claude Code's `mcpServers` (in ~/.claude.json) takes it. */
export type ClaudeMcpEntry =
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { type: 'http' | 'sse'; url: string };

/** A configured MCP server: where it runs, what Claude is told, what the firewall must open. */
export type McpServer = { name: string; entry: ClaudeMcpEntry } & (
  { place: 'agent' } | { place: 'remote'; remoteHost: string } | { place: 'host'; hostPort: number }
);

/** The project's MCP servers, in the order the config names them. */
export function mcpServers(config: ProjectConfig): McpServer[] {
  return Object.entries(config.mcp ?? {}).map(([name, server]) => resolveServer(name, server));
}

/** The host ports the firewall opens for servers on the host. */
export function mcpHostPorts(config: ProjectConfig): number[] {
  return mcpServers(config).flatMap((s) => (s.place === 'host' ? [s.hostPort] : []));
}

/** What is merged into Claude Code's user-scoped `mcpServers`, by name. */
export function claudeMcpServers(config: ProjectConfig): Record<string, ClaudeMcpEntry> {
  return Object.fromEntries(mcpServers(config).map((s) => [s.name, s.entry]));
}

function resolveServer(name: string, server: McpServerConfig): McpServer {
  if (server.command !== undefined) {
    const entry: ClaudeMcpEntry = {
      type: 'stdio',
      command: server.command,
      args: server.args ?? [],
      env: server.env ?? {},
    };
    return { name, entry, place: 'agent' };
  }
  const type = server.type ?? 'http';
  if (server.url !== undefined) {
    const url = new URL(server.url);
    const entry: ClaudeMcpEntry = { type, url: server.url };
    if (url.hostname === HOST_NAME) {
      const hostPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      return { name, entry, place: 'host', hostPort };
    }
    return { name, entry, place: 'remote', remoteHost: url.hostname.replace(/^\[(.*)\]$/, '$1') };
  }
  // The schema lets through only these three shapes: this is the host: true one, with a port.
  const hostPort = server.port ?? 0;
  const url = `http://${HOST_NAME}:${hostPort}${server.path ?? '/mcp'}`;
  return { name, entry: { type, url }, place: 'host', hostPort };
}
