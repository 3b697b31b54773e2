import { z } from 'zod';

/**
 * `.claude/claude-tui.yaml`: everything optional; unknown keys are errors so a typo is caught
 * rather than silently ignored.
 */
const dockerImageRef = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'a Docker image reference such as debian:bookworm-slim');

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
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string())
      .optional(),
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
