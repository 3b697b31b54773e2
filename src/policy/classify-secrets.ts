import type { ProjectConfig } from '../config/project-config-schema.js';

type Note = (text: string) => void;

/**
 * `secrets` in the project config: what the agent sees empty. Exposing a file (an expose entry
 * added, a shadow entry removed) widens what it may read; shadowing more narrows it. Entries are
 * compared as written: an edited entry is one removed and one added, so its exposing half waits.
 */
export function compareSecrets(
  was: ProjectConfig['secrets'],
  now: ProjectConfig['secrets'],
  on: { widen: Note; narrow: Note },
): void {
  const diff = (before: readonly string[] = [], after: readonly string[] = []) => ({
    added: [...new Set(after)].filter((entry) => !before.includes(entry)),
    removed: [...new Set(before)].filter((entry) => !after.includes(entry)),
  });
  const expose = diff(was?.expose, now?.expose);
  const shadow = diff(was?.shadow, now?.shadow);
  for (const entry of expose.added)
    on.widen(`lets the agent read secret files matching ${entry} (secrets.expose)`);
  for (const entry of shadow.removed) on.widen(`stops shadowing files matching ${entry} (secrets.shadow)`);
  for (const entry of shadow.added) on.narrow(`shadows files matching ${entry} (secrets.shadow)`);
  for (const entry of expose.removed) on.narrow(`shadows files matching ${entry} again (secrets.expose)`);
}
