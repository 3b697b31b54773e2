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
