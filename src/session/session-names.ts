import { UsageError } from '../errors.js';

/** Session names become tmux session names and folder names: keep them plain. */
const validName = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,39}$/;

export function validateSessionName(name: string): string {
  if (!validName.test(name)) {
    throw new UsageError(
      `"${name}" is not a valid session name.`,
      'Use 1-40 letters, digits, "-" or "_", starting with a letter or digit.',
    );
  }
  return name;
}

/** The first free default name: s1, s2, ... */
export function nextSessionName(existing: readonly string[]): string {
  for (let i = 1; ; i++) if (!existing.includes(`s${i}`)) return `s${i}`;
}
