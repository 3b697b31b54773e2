import { UserError } from '../errors.js';

/**
 * The credentials claude-tui keeps for the agent: Claude's (an OAuth token from `claude
 * setup-token`, or an API key) and, when the person opts in, a GitHub token for `gh`. Pure: what
 * they look like, how they are shown, and which one applies.
 */
export type CredentialService = 'claude' | 'github';

/** How a credential reaches the agent: each kind has its own file descriptor or variable. */
export type CredentialKind = 'claude-oauth' | 'claude-api-key' | 'github';

/** How it was obtained, shown by `whoami`. */
export const CREDENTIAL_ORIGINS = [
  'login',
  'token-stdin',
  'env:CLAUDE_CODE_OAUTH_TOKEN',
  'env:ANTHROPIC_API_KEY',
  'env:GH_TOKEN',
] as const;
export type CredentialOrigin = (typeof CREDENTIAL_ORIGINS)[number];

export interface StoredCredential {
  value: string;
  from: CredentialOrigin;
  /** ISO time it was stored. */
  savedAt: string;
}

/** Where the credential in use comes from. */
export type CredentialScope = 'project' | 'all-projects' | 'this-run';

export interface Credential extends StoredCredential {
  kind: CredentialKind;
  scope: CredentialScope;
}

const CLAUDE_OAUTH_PREFIX = 'sk-ant-oat';
const CLAUDE_API_KEY_PREFIX = 'sk-ant-api';
const GITHUB_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'];

/**
 * Tokens are single words of URL-safe characters; anything else (a space, a quote, a control
 * character) means the paste picked up more than the token, and must not reach a file or a shell.
 */
const TOKEN_SHAPE = /^[A-Za-z0-9_\-.]{20,2048}$/;

/** The kind a credential's value is, or a UserError saying what was expected. */
export function credentialKind(service: CredentialService, value: string): CredentialKind {
  if (!TOKEN_SHAPE.test(value)) {
    throw new UserError(
      `That does not look like a ${serviceName(service)} token: expected one word of letters, digits, "-" and "_" (20 to 2048 characters).`,
      'Copy the token alone, without quotes or spaces, and try again.',
    );
  }
  if (service === 'github') {
    if (GITHUB_PREFIXES.some((prefix) => value.startsWith(prefix))) return 'github';
    throw new UserError(
      `That does not look like a GitHub token (they start with ${GITHUB_PREFIXES.join(', ')}).`,
      'Make one with `gh auth token` on your machine, or in GitHub under Settings, Developer settings.',
    );
  }
  if (value.startsWith(CLAUDE_OAUTH_PREFIX)) return 'claude-oauth';
  if (value.startsWith(CLAUDE_API_KEY_PREFIX)) return 'claude-api-key';
  throw new UserError(
    `That does not look like a Claude credential: an OAuth token starts with ${CLAUDE_OAUTH_PREFIX}, an API key with ${CLAUDE_API_KEY_PREFIX}.`,
    'Run `claude-tui login` to make a token, or pass one made by `claude setup-token`.',
  );
}

export function serviceName(service: CredentialService): string {
  return service === 'claude' ? 'Claude' : 'GitHub';
}

/** Enough to tell two credentials apart, never enough to use one: the prefix and the last 4. */
export function maskCredential(value: string): string {
  const prefix = /^(sk-ant-[a-z]+\d*-|github_pat_|gh[a-z]_)/.exec(value)?.[0] ?? '';
  return `${prefix}…${value.slice(-4)}`;
}

export function describeKind(kind: CredentialKind): string {
  switch (kind) {
    case 'claude-oauth':
      return 'Claude OAuth token';
    case 'claude-api-key':
      return 'Anthropic API key';
    case 'github':
      return 'GitHub token';
  }
}

export function describeOrigin(origin: CredentialOrigin): string {
  if (origin === 'login') return 'claude-tui login';
  if (origin === 'token-stdin') return 'login --token-stdin';
  return `the host's ${origin.slice('env:'.length)}, taken by login --from-env`;
}

export function describeScope(scope: CredentialScope): string {
  switch (scope) {
    case 'project':
      return "this project's own";
    case 'all-projects':
      return 'shared by all projects';
    case 'this-run':
      return 'for this run only';
  }
}

/** The host environment variable `login --from-env` takes for a service, with its origin. */
export function credentialFromEnv(
  service: CredentialService,
  env: NodeJS.ProcessEnv,
): { value: string; from: CredentialOrigin } {
  const names: CredentialOrigin[] =
    service === 'claude' ? ['env:CLAUDE_CODE_OAUTH_TOKEN', 'env:ANTHROPIC_API_KEY'] : ['env:GH_TOKEN'];
  for (const from of names) {
    const value = env[from.slice('env:'.length)]?.trim();
    if (value) return { value, from };
  }
  throw new UserError(
    `None of ${names.map((name) => name.slice('env:'.length)).join(', ')} is set in this environment.`,
    'Set one, or use `claude-tui login` (or `--token-stdin`).',
  );
}
