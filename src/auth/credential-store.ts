import { readSecretsDocument, updateSecrets, type SecretsDocument } from '../config/secrets.js';
import { settingsErrorAt } from '../config/settings-json.js';
import { UserError } from '../errors.js';
import {
  CREDENTIAL_ORIGINS,
  credentialKind,
  type Credential,
  type CredentialService,
  type StoredCredential,
} from './credential.js';
import type { Credentials } from './credentials-schema.js';

/**
 * The credentials, on the host only, in the secrets file (mode 0600) under `credentials`: one per
 * service for all projects, and a project's own by its folder, which wins over the shared one.
 * Never in config.json, the image, a container's environment, a label or a log line.
 */
export interface CredentialStore {
  /** The credential a session of the project gets: the project's own, else the shared one. */
  resolve(service: CredentialService, projectDir: string | undefined): Promise<Credential | undefined>;
  save(
    service: CredentialService,
    projectDir: string | undefined,
    credential: StoredCredential,
  ): Promise<void>;
  /** False when there was nothing to remove. */
  remove(service: CredentialService, projectDir: string | undefined): Promise<boolean>;
}

export function hostCredentialStore(env: NodeJS.ProcessEnv): CredentialStore {
  return {
    async resolve(service, projectDir) {
      const document = await readSecretsDocument(env);
      const credentials = await checked(document);
      const own = projectDir ? credentials.projects?.[projectDir]?.[service] : undefined;
      const stored = own ?? credentials[service];
      if (!stored) return undefined;
      const path = own
        ? ['credentials', 'projects', projectDir!, service, 'value']
        : ['credentials', service, 'value'];
      return {
        ...stored,
        kind: storedKind(document, path, service, stored.value),
        scope: own ? 'project' : 'all-projects',
      };
    },
    async save(service, projectDir, credential) {
      credentialKind(service, credential.value);
      const { checkedCredentials } = await import('./credentials-schema.js');
      await updateSecrets(env, (data, document) => {
        const credentials = checkedCredentials(document);
        const holder = projectDir ? ((credentials.projects ??= {})[projectDir] ??= {}) : credentials;
        holder[service] = credential;
        data.credentials = credentials;
        return true;
      });
    },
    async remove(service, projectDir) {
      let removed = false;
      const { checkedCredentials } = await import('./credentials-schema.js');
      await updateSecrets(env, (data, document) => {
        const credentials = checkedCredentials(document);
        const holder = projectDir ? credentials.projects?.[projectDir] : credentials;
        if (!holder?.[service]) return false;
        delete holder[service];
        if (
          projectDir &&
          credentials.projects &&
          Object.keys(credentials.projects[projectDir] ?? {}).length === 0
        ) {
          delete credentials.projects[projectDir];
        }
        data.credentials = credentials;
        removed = true;
        return true;
      });
      return removed;
    },
  };
}

/**
 * Reading a credential is part of every session's start, and the schema library's loading is most
 * of what reading costs; a file as claude-tui writes it is vouched for by a strict look at its
 * shape, and only anything else goes through the schema (which names the mistake).
 */
async function checked(document: SecretsDocument): Promise<Credentials> {
  const raw = document.data.credentials ?? {};
  if (isPlainCredentials(raw)) return raw;
  const { checkedCredentials } = await import('./credentials-schema.js');
  return checkedCredentials(document);
}

/** True only for what the schema also takes (it may refuse less often, never more). */
function isPlainCredentials(value: unknown): value is Credentials {
  if (!isRecord(value)) return false;
  const { projects, ...services } = value;
  if (!isServices(services)) return false;
  return projects === undefined || (isRecord(projects) && Object.values(projects).every(isServices));
}

function isServices(value: unknown): boolean {
  return (
    isRecord(value) &&
    Object.entries(value).every(([key, stored]) => (key === 'claude' || key === 'github') && isStored(stored))
  );
}

function isStored(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value).sort().join(',');
  return (
    keys === 'from,savedAt,value' &&
    typeof value.value === 'string' &&
    typeof value.savedAt === 'string' &&
    (CREDENTIAL_ORIGINS as readonly unknown[]).includes(value.from)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value changed by hand into something that is no token is the file's mistake, named there. */
function storedKind(document: SecretsDocument, path: string[], service: CredentialService, value: string) {
  try {
    return credentialKind(service, value);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw settingsErrorAt(
      document.file,
      document.text,
      path,
      `${error.message} Run \`claude-tui login\` again.`,
    );
  }
}
