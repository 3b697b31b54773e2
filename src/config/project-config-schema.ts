import { z } from 'zod';

/**
 * `.claude/claude-tui.yaml`: everything optional; unknown keys are errors so a typo is caught
 * rather than silently ignored.
 */
const dockerImageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'a Docker image reference such as debian:bookworm-slim');

const hostPort = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/i, 'host:port, such as example.com:443 or 192.0.2.1:80');

export const projectConfigSchema = z
  .strictObject({
    image: z
      .strictObject({
        base: dockerImageRef.optional(),
        agentVersion: z
          .string()
          .regex(/^(latest|\d+\.\d+\.\d+([-.][0-9A-Za-z.-]+)?)$/, 'a version such as 2.1.330, or latest')
          .optional(),
        caCertificates: z.array(z.string().min(1)).optional(),
        /** Where the build fetches the agent CLI; default: the host's npm configuration. */
        npmRegistry: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional(),
      })
      .optional(),
    agent: z
      .strictObject({
        /** The agent CLI to run in sessions (default: claude). */
        command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        /** Add --dangerously-skip-permissions to Claude (CLAUDE_YOLO=1 does the same). */
        yolo: z.boolean().optional(),
      })
      .optional(),
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())
      .optional(),
    firewall: z
      .strictObject({
        /** false turns the firewall off, explicitly; the status then says so. */
        enabled: z.boolean().optional(),
        /** false leaves out the default allowlist (GitHub, Anthropic, package registries). */
        defaults: z.boolean().optional(),
        hostPorts: z.array(z.number().int().min(1).max(65535)).optional(),
        dnsUpstream: z.ipv4({ error: 'an IPv4 address' }).optional(),
        selfCheck: z
          .strictObject({
            blocked: z.array(hostPort).optional(),
            allowed: z.array(hostPort).optional(),
          })
          .optional(),
      })
      .optional(),
    /** Docker networks the gateway joins besides its own (sidecars, shared services). */
    networks: z.array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a Docker network name')).optional(),
    mounts: z
      .array(
        z.strictObject({
          source: z.string().min(1),
          target: z.string().startsWith('/', 'an absolute path inside the container'),
          readOnly: z.boolean().default(true),
        }),
      )
      .optional(),
  })
  .default({});

export type ProjectConfig = z.infer<typeof projectConfigSchema>;
