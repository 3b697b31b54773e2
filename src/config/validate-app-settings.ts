import type * as z from 'zod/mini';
import type { ConfigError } from '../errors.js';
import { appSettingsSchema, type AppSettings } from './app-settings-schema.js';
import { settingsErrorAt } from './settings-json.js';
import { issueMessage } from './zod-issue-message.js';

/**
 * The parsed config.json checked against its schema. The first problem is reported with the
 * file, its line:col in `text`, the key path and what was expected.
 */
export function validateAppSettings(file: string, text: string, parsed: unknown): AppSettings {
  const result = appSettingsSchema.safeParse(parsed);
  if (result.success) return result.data;
  throw describeProblem(file, text, parsed, result.error.issues[0]!);
}

function describeProblem(file: string, text: string, parsed: unknown, issue: z.core.$ZodIssue): ConfigError {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    // Named at the mistyped key itself, with the keys that are allowed in its place.
    const allowed = knownKeys(appSettingsSchema, path);
    const expected = allowed.length ? ` (expected one of: ${allowed.join(', ')})` : '';
    return settingsErrorAt(file, text, [...path, issue.keys[0]!], `unknown key${expected}`, { atKey: true });
  }
  if (issue.code === 'invalid_type' && issue.expected in JSON_WORDS) {
    const found = valueAt(parsed, path);
    const expected = `expected ${JSON_WORDS[issue.expected]}`;
    return settingsErrorAt(
      file,
      text,
      path,
      found === undefined ? `${expected} (missing)` : `${expected}, not ${kindOf(found)}`,
    );
  }
  return settingsErrorAt(file, text, path, issueMessage(issue));
}

/** What zod calls a type, in the words of a JSON file. */
const JSON_WORDS: Record<string, string> = {
  string: 'a string in double quotes',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object {...}',
  record: 'an object {...}',
  array: 'a list [...]',
};

/** The kind of a value only, never the value: it may be a secret in the wrong place. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

type SchemaDef = z.core.$ZodTypeDef & {
  innerType?: z.core.$ZodType;
  element?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
};

/** The keys the object schema at `path` accepts, leaving out those that only say a key is gone. */
function knownKeys(schema: z.core.$ZodType, path: readonly string[]): string[] {
  let at: SchemaDef | undefined = unwrapped(schema);
  for (const segment of path) {
    const next: z.core.$ZodType | undefined =
      at?.type === 'object' ? at.shape?.[segment] : at?.type === 'array' ? at.element : undefined;
    at = next && unwrapped(next);
  }
  if (at?.type !== 'object' || !at.shape) return [];
  return Object.entries(at.shape)
    .filter(([, value]) => unwrapped(value).type !== 'never')
    .map(([key]) => key);
}

/** The schema inside optional() and default(). */
function unwrapped(schema: z.core.$ZodType): SchemaDef {
  let def: SchemaDef = schema._zod.def;
  while ((def.type === 'optional' || def.type === 'default') && def.innerType) {
    def = def.innerType._zod.def;
  }
  return def;
}
