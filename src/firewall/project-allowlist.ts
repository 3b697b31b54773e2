import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The project's own allowlist files, relative to the project; both are read. */
export const ALLOWLIST_FILES = [
  '.claude/allowed-domains.txt',
  '.aidevcontainer/allowed-domains.txt',
] as const;
/** The one claude-tui writes to. */
export const WRITABLE_ALLOWLIST = ALLOWLIST_FILES[0];

export interface AllowlistFile {
  path: (typeof ALLOWLIST_FILES)[number];
  text: string;
}

/** The files as they are on the host now (never read from inside the container). */
export async function readProjectAllowlist(projectDir: string): Promise<AllowlistFile[]> {
  const files: AllowlistFile[] = [];
  for (const path of ALLOWLIST_FILES) {
    try {
      files.push({ path, text: await readFile(join(projectDir, path), 'utf8') });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

/** Line changes from one version of the files to another, per file, for a person to read. */
export function allowlistDiff(from: readonly AllowlistFile[], to: readonly AllowlistFile[]): string {
  const out: string[] = [];
  for (const path of ALLOWLIST_FILES) {
    const before = lines(from.find((f) => f.path === path)?.text);
    const after = lines(to.find((f) => f.path === path)?.text);
    const removed = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    if (!removed.length && !added.length) continue;
    out.push(`--- ${path}`, ...removed.map((l) => `- ${l}`), ...added.map((l) => `+ ${l}`));
  }
  return out.join('\n');
}

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

export function sameFiles(a: readonly AllowlistFile[], b: readonly AllowlistFile[]): boolean {
  return allowlistDiff(a, b) === '';
}
