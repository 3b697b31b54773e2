import { z } from 'zod';
import { readSecretsDocument, updateSecrets, type SecretsDocument } from '../config/secrets.js';
import { settingsErrorAt } from '../config/settings-json.js';
import { UserError } from '../errors.js';
import {
  credentialKind,
  type Credential,
  type CredentialService,
  type StoredCredential,
} from './credential.js';

/**
 * The credentials, on the host only, in the secrets file (mode 0600) under `credentials`: one per
 * service for all projects, and a project's own by its folder, which wins over the shared one.
 * Never in config.json, the image, a container's environment, a label or a log line.
 */
const storedCredential = z.strictObject({
  value: z.string(),
  from: z.enum([
    'login',
    'token-stdin',
    'env:CLAUDE_CODE_OAUTH_TOKEN',
    'env:ANTHROPIC_API_KEY',
    'env:GH_TOKEN',
  ]),
  savedAt: z.string(),
});
const serviceCredentials = z.strictObject({
  claude: z.optional(storedCredential),
  github: z.optional(storedCredential),
});
const credentialsSchema = z.strictObject({
  ...serviceCredentials.shape,
  projects: z.optional(z.record(z.string(), serviceCredentials)),
});
type Credentials = z.infer<typeof credentialsSchema>;

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
      const credentials = checked(document);
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
      await updateSecrets(env, (data, document) => {
        const credentials = checked(document);
        const holder = projectDir ? ((credentials.projects ??= {})[projectDir] ??= {}) : credentials;
        holder[service] = credential;
        data.credentials = credentials;
        return true;
      });
    },
    async remove(service, projectDir) {
      let removed = false;
      await updateSecrets(env, (data, document) => {
        const credentials = checked(document);
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

function checked(document: SecretsDocument): Credentials {
  const raw = document.data.credentials ?? {};
  const parsed = credentialsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['credentials', ...(issue?.path ?? []).map(String)];
  throw settingsErrorAt(document.file, document.text, path, issue?.message ?? 'is not as expected');
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
