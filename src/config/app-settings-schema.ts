import * as z from 'zod/mini';
import { DETACH_KEY_FORM, HOST_PORT, HOST_PORT_EXPECTED } from './shared-formats.js';

/**
 * The app settings file (config.json in settingsDir()). Unknown keys are errors, so a typo is
 * caught rather than silently ignored. It holds no secrets: those live in the secrets file.
 *
 * zod's mini build: this is read on every `up`, and the full build takes several times as long
 * to load as the rest of a no-op `up` spends on it (bench/app-settings.mjs). Mini has no default
 * messages, so every check says what it expects.
 */
const text = z.string().check(z.minLength(1, 'a non-empty string'));
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
const hostPort = z.string().check(z.regex(HOST_PORT, HOST_PORT_EXPECTED));

/** A path inside the project, as the person writes it: relative, and never climbing out. */
const projectRelativePath = z.string().check(
  z.minLength(1, 'a path inside the project, such as src or docs/notes.md'),
  z.refine(
    (path) => !/^([/\\~]|[a-zA-Z]:)/.test(path),
    'a path relative to the project, not an absolute one',
  ),
  z.refine((path) => !path.split(/[/\\]/).includes('..'), 'a path inside the project, without .. in it'),
);

/**
 * The Docker Engine a project lives on (src/docker/engine-ref.ts): a context's name, or the
 * DOCKER_HOST address with its TLS settings. Absent: the Engine the environment chooses.
 */
const engineRef = z.union([
  z.strictObject({ context: text }),
  z.strictObject({
    host: text,
    tlsVerify: z.optional(z.boolean()),
    tls: z.optional(z.boolean()),
    certPath: z.optional(text),
  }),
]);

export const appSettingsSchema = z.strictObject({
  /** Written by claude-tui: the projects the person has used, and the Engine each lives on. */
  projects: z._default(
    z.array(z.strictObject({ dir: text, lastUsed: z.string(), engine: z.optional(engineRef) })),
    [],
  ),
  /** Extra CA certificates (PEM files) for every project's image and containers. */
  caCertificates: z._default(z.array(text), []),
  /** Fetch GitHub's address ranges for the default allowlist (default true). */
  githubMeta: z.optional(z.boolean()),
  /** How to tell the person a session waits or is done. */
  notifications: z.optional(
    z.strictObject({
      bell: z.optional(z.boolean()),
      desktop: z.optional(z.boolean()),
      /** Run on the host with CLAUDE_TUI_PROJECT, CLAUDE_TUI_SESSION, CLAUDE_TUI_STATE in its env. */
      command: z.optional(text),
      /** POSTed the event as JSON. */
      webhook: z.optional(httpUrl),
      sms: z.optional(
        z.strictObject({
          to: z.optional(text),
          from: z.optional(text),
          accountSid: z.optional(text),
          apiBase: z.optional(httpUrl),
          // Named only to say where it went: an older config.json's token is moved out when read.
          authToken: z.optional(
            z.never(
              'secrets are not kept here: the auth token belongs in secrets.json beside this file, or in TWILIO_AUTH_TOKEN',
            ),
          ),
        }),
      ),
    }),
  ),
  /** The key that detaches from a session (default ctrl+q). */
  detachKey: z.optional(
    z.string().check(z.trim(), z.regex(DETACH_KEY_FORM, 'ctrl+ and a letter, such as ctrl+q')),
  ),
  /** Dashboard key bindings: command id → key or keys; the keymap checks the bindings themselves. */
  keys: z.optional(z.record(z.string(), z.unknown())),
  /** Default firewall self-check targets for projects that set none. */
  selfCheck: z.optional(
    z.strictObject({ blocked: z.optional(z.array(hostPort)), allowed: z.optional(z.array(hostPort)) }),
  ),
  /** Paths in each project the person wants watched for changes. */
  watchPaths: z.optional(z.array(projectRelativePath)),
});

export type AppSettings = z.output<typeof appSettingsSchema>;
export type NotificationSettings = NonNullable<AppSettings['notifications']>;
