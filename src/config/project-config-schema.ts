import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { mcpConfigSchema } from './mcp-config-schema.js';
import { HOST_PORT, HOST_PORT_EXPECTED } from './shared-formats.js';

/**
 * `.claude/claude-tui.yaml`: everything optional; unknown keys are errors so a typo is caught
 * rather than silently ignored.
 *
 * zod's mini build, as for the app settings: the two share one copy of it, and the full build
 * alone takes longer to load than the rest of a no-op `up`. Mini comes without messages; the
 * English ones say what a check without a message of its own expected.
 */
z.config(en());

const dockerImageRef = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'a Docker image reference such as debian:bookworm-slim'));

const hostPort = z.string().check(z.regex(HOST_PORT, HOST_PORT_EXPECTED));

const nonEmpty = z.string().check(z.minLength(1));

/** A file name or a path from the project's root, with * ? and ** (see src/project/secret-patterns.ts). */
const secretPattern = z
  .string()
  .check(
    z.regex(
      /^(?!.*(^|\/)\.\.?(\/|$))\/?[A-Za-z0-9._+@=,~ *?-]+(\/[A-Za-z0-9._+@=,~ *?-]+)*\/?$/,
      'a file name or a path inside the project: letters, digits, . _ - + @ = , ~ and spaces, * and ? as wildcards, ** for any folders, / between folders (no . or .. folders)',
    ),
  );

/** Secret files shadowed in the agent container (empty and read-only), on top of the defaults. */
const secrets = z.strictObject({
  shadow: z.optional(z.array(secretPattern)),
  expose: z.optional(z.array(secretPattern)),
});

export const projectConfigSchema = z._default(
  z.strictObject({
    image: z.optional(
      z.strictObject({
        base: z.optional(dockerImageRef),
        agentVersion: z.optional(
          z
            .string()
            .check(
              z.regex(
                /^(latest|\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?)$/,
                'a version such as 2.1.330, or latest',
              ),
            ),
        ),
        caCertificates: z.optional(z.array(nonEmpty)),
        /** Where the build fetches the agent CLI; default: the host's npm configuration. */
        npmRegistry: z.optional(z.url({ protocol: /^https?$/, error: 'an http(s) URL' })),
      }),
    ),
    agent: z.optional(
      z.strictObject({
        /** The agent CLI to run in sessions (default: claude). */
        command: z.optional(z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1))])),
        /** Add --dangerously-skip-permissions to Claude (CLAUDE_YOLO=1 does the same). */
        yolo: z.optional(z.boolean()),
      }),
    ),
    env: z.optional(
      z.record(
        z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')),
        z.string(),
      ),
    ),
    firewall: z.optional(
      z.strictObject({
        /** false turns the firewall off, explicitly; the status then says so. */
        enabled: z.optional(z.boolean()),
        /** false leaves out the default allowlist (GitHub, Anthropic, package registries). */
        defaults: z.optional(z.boolean()),
        hostPorts: z.optional(z.array(z.int().check(z.gte(1), z.lte(65535)))),
        dnsUpstream: z.optional(z.ipv4({ error: 'an IPv4 address' })),
        selfCheck: z.optional(
          z.strictObject({
            blocked: z.optional(z.array(hostPort)),
            allowed: z.optional(z.array(hostPort)),
          }),
        ),
      }),
    ),
    /** Docker networks the gateway joins besides its own (sidecars, shared services). */
    networks: z.optional(
      z.array(z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a Docker network name'))),
    ),
    mounts: z.optional(
      z.array(
        z.strictObject({
          source: nonEmpty,
          target: z.string().check(z.startsWith('/', 'an absolute path inside the container')),
          readOnly: z._default(z.boolean(), true),
        }),
      ),
    ),
    /** MCP servers for Claude Code (see mcp-config-schema.ts). */
    mcp: z.optional(mcpConfigSchema),
    secrets: z.optional(secrets),
    /** What of the person's own SSH the agent may use; nothing unless asked for. */
    ssh: z.optional(
      z.strictObject({
        /** Lend the host's SSH agent (its keys sign; they are never copied in). */
        agent: z.optional(z.boolean()),
      }),
    ),
  }),
  {},
);

export type ProjectConfig = z.output<typeof projectConfigSchema>;
