/**
 * What every project may reach unless its config turns the defaults off: the agent's own service,
 * GitHub, and error reporting. Package registries are added from the host's own configuration
 * (registries.ts), never named here.
 */
export const DEFAULT_DOMAINS = [
  'github.com',
  'api.github.com',
  'codeload.github.com',
  'objects.githubusercontent.com',
  'raw.githubusercontent.com',
  'api.anthropic.com',
  'console.anthropic.com',
  'statsig.anthropic.com',
  'statsig.com',
  'sentry.io',
] as const;

/** A self-check target that must be refused: TEST-NET-1, reserved for documentation, never routed. */
export const DEFAULT_CHECK_BLOCKED = ['192.0.2.1:80'];
export const DEFAULT_CHECK_ALLOWED = ['api.anthropic.com:443'];

/** Docker's embedded DNS, which the gateway's resolver forwards allowed names to by default. */
export const DOCKER_DNS = '127.0.0.11';
