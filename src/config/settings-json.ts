import { ConfigError } from '../errors.js';
import { findJsonSyntaxError, lineAndColumn, locateInJson, type JsonPath } from './json-positions.js';

/**
 * JSON settings files (the app settings, the secrets file) read the same way: an empty file is
 * an empty object, and a mistake is a ConfigError with the line:col. JSON.parse's own message is
 * never passed on, since it quotes the text around the mistake and the text may hold a secret.
 */
export function parseSettingsJson(file: string, text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const syntax = findJsonSyntaxError(text);
    if (!syntax) throw new ConfigError(file, '', 'is not valid JSON');
    throw new ConfigError(file, lineAndColumn(text, syntax.offset), `is not valid JSON: ${syntax.problem}`);
  }
}

/**
 * A ConfigError about the value at `path`, at its line:col: at its key when `atKey` (an unknown
 * key), else at its value; a path that is not in the file (a missing key) at the nearest parent.
 */
export function settingsErrorAt(
  file: string,
  text: string,
  path: JsonPath,
  expected: string,
  options: { atKey?: boolean } = {},
): ConfigError {
  let location = '';
  for (let depth = path.length; depth >= 0 && !location; depth--) {
    const found = text.trim() ? locateInJson(text, path.slice(0, depth)) : undefined;
    if (!found) continue;
    const offset = options.atKey && depth === path.length ? (found.key ?? found.value) : found.value;
    location = lineAndColumn(text, offset);
  }
  const keyPath = path.length ? path.join('.') : '(top level)';
  return new ConfigError(file, location, `${keyPath}: ${expected}`);
}
