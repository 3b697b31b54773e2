import * as z from 'zod/mini';

/**
 * `mcp:` in the project config: the MCP servers Claude Code gets, by name. Each is one of three
 * kinds, told apart by its keys:
 *
 *   command (+ args, env)        runs inside the agent container, over stdio
 *   url (+ type)                 a remote server, reached through the firewall's allowlist
 *   host: true, port (+ path, type)   a server on the person's machine, at host.docker.internal;
 *                                the firewall opens exactly that port
 *
 * A url at host.docker.internal counts as a server on the host, on the url's port.
 */
const SERVER_KEYS = {
  command: ['command'],
  args: ['command'],
  env: ['command'],
  url: ['url'],
  type: ['url', 'host'],
  host: ['host'],
  port: ['host'],
  path: ['host'],
} as const;

type ServerKind = 'command' | 'url' | 'host';

const KIND_WORDS: Record<string, string> = {
  command: 'a server with command',
  'url,host': 'a server with url or host: true',
  url: 'a server with url',
  host: 'a server with host: true',
};

const nonEmpty = z.string().check(z.minLength(1));

const mcpServerSchema = z
  .strictObject({
    /** A program run in the agent container, as the agent's user. */
    command: z.optional(nonEmpty),
    args: z.optional(z.array(z.string())),
    /** Plain settings only: they are written into the agent's home, where the agent reads them. */
    env: z.optional(
      z.record(
        z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')),
        z.string(),
      ),
    ),
    url: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL' })),
    type: z.optional(z.enum(['http', 'sse'], { error: 'http or sse' })),
    host: z.optional(z.boolean()),
    port: z.optional(z.int().check(z.gte(1), z.lte(65535))),
    path: z.optional(z.string().check(z.startsWith('/', 'a path on the server such as /mcp'))),
  })
  .check(
    z.superRefine((server, ctx) => {
      const kinds = (['command', 'url', 'host'] as const).filter((key) =>
        key === 'host' ? server.host === true : server[key] !== undefined,
      );
      const [kind, second] = kinds;
      if (!kind) {
        ctx.addIssue({
          code: 'custom',
          input: server,
          message:
            'a server needs command (run in the agent container), url (a remote server) or host: true with a port (a server on your machine)',
        });
        return;
      }
      if (second) {
        ctx.addIssue({
          code: 'custom',
          input: server,
          path: [second],
          message: `cannot go with ${kind}: a server has one of command, url or host: true`,
        });
        return;
      }
      for (const key of Object.keys(SERVER_KEYS) as (keyof typeof SERVER_KEYS)[]) {
        const allowed: readonly ServerKind[] = SERVER_KEYS[key];
        if (server[key] === undefined || allowed.includes(kind)) continue;
        if (key === 'host' && server.host === false) continue;
        ctx.addIssue({
          code: 'custom',
          input: server,
          path: [key],
          message: `only for ${KIND_WORDS[allowed.join(',')]}`,
        });
        return;
      }
      if (kind === 'host' && server.port === undefined) {
        ctx.addIssue({
          code: 'custom',
          input: server,
          path: ['port'],
          message: 'the port the server listens on, on your machine (host: true needs one)',
        });
      }
    }),
  );

export const mcpConfigSchema = z.record(
  z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'an MCP server name: letters, digits, - and _')),
  mcpServerSchema,
);

export type McpServerConfig = z.output<typeof mcpServerSchema>;
