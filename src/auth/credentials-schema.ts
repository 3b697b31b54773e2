import { z } from 'zod';
import type { SecretsDocument } from '../config/secrets.js';
import { settingsErrorAt } from '../config/settings-json.js';
import { CREDENTIAL_ORIGINS } from './credential.js';

const storedCredential = z.strictObject({
  value: z.string(),
  from: z.enum(CREDENTIAL_ORIGINS),
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

/** The `credentials` of the secrets file, as stored: one per service, and a project's own by folder. */
export type Credentials = z.infer<typeof credentialsSchema>;

/** The document's credentials checked, or the file's mistake named by file, line and key. */
export function checkedCredentials(document: SecretsDocument): Credentials {
  const raw = document.data.credentials ?? {};
  const parsed = credentialsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['credentials', ...(issue?.path ?? []).map(String)];
  throw settingsErrorAt(document.file, document.text, path, issue?.message ?? 'is not as expected');
}
