import { hostCredentialStore, type CredentialStore } from './credential-store.js';
import type { Credential, CredentialKind } from './credential.js';

/** One credential for one session: what it is and the value, given to the session on stdin. */
export interface SessionCredential {
  kind: CredentialKind;
  value: string;
}

export interface CredentialSources {
  env: NodeJS.ProcessEnv;
  credentials?: CredentialStore;
}

/**
 * The credentials a new session of the project gets, read at its start (so a new token reaches
 * the next session, no container recreated): Claude's, unless the run brings its own, and the
 * GitHub token when the person stored one.
 */
export async function credentialsForSession(
  sources: CredentialSources,
  projectDir: string,
  forThisRun?: Credential,
): Promise<SessionCredential[]> {
  const store = sources.credentials ?? hostCredentialStore(sources.env);
  const [claude, github] = await Promise.all([
    forThisRun ? Promise.resolve(forThisRun) : store.resolve('claude', projectDir),
    store.resolve('github', projectDir),
  ]);
  return [claude, github].flatMap((credential) =>
    credential ? [{ kind: credential.kind, value: credential.value }] : [],
  );
}

/**
 * What `session start` reads on its stdin: one "KIND VALUE" line each. The values were checked
 * to be single words when stored, so a line cannot carry more than one.
 */
export function credentialLines(credentials: readonly SessionCredential[]): string {
  return credentials.map(({ kind, value }) => `${kind} ${value}\n`).join('');
}
