import { parseEntry } from './allowlist.js';

/**
 * Edits of the allowlist file text that keep the person's comments and order. Pure functions.
 */
export function normalizeEntry(entry: string): string | undefined {
  const outcome = parseEntry(entry.trim());
  return 'entry' in outcome ? outcome.entry.value : undefined;
}

/** Appends the entries not already present; returns the new text and what was added. */
export function addEntries(text: string, entries: readonly string[]): { text: string; added: string[] } {
  const present = new Set(entriesIn(text));
  const added = [...new Set(entries)].filter((e) => !present.has(e));
  if (!added.length) return { text, added };
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return { text: base + added.map((e) => `${e}\n`).join(''), added };
}

/** Removes every line whose entry is one of these; returns the new text and what was removed. */
export function removeEntries(text: string, entries: readonly string[]): { text: string; removed: string[] } {
  const wanted = new Set(entries);
  const removed = new Set<string>();
  const kept = text.split('\n').filter((line) => {
    const entry = normalizeEntry(line.replace(/#.*$/, ''));
    if (entry && wanted.has(entry)) {
      removed.add(entry);
      return false;
    }
    return true;
  });
  return { text: kept.join('\n'), removed: [...removed] };
}

function entriesIn(text: string): string[] {
  return text
    .split('\n')
    .map((line) => normalizeEntry(line.replace(/#.*$/, '')))
    .filter((e): e is string => Boolean(e));
}
