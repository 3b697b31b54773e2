import { statSync } from 'node:fs';

export interface HostUser {
  uid: number;
  gid: number;
}

/**
 * Whose files the agent's `claude` user should own. Normally the person running claude-tui; when
 * that is root (a CI box, sudo), the owner of the project folder instead, so the files it writes
 * stay editable by whoever owns the project. Root itself is never mapped: the entrypoint keeps
 * `claude` unprivileged.
 */
export function hostUserFor(projectDir: string, processIds = currentIds()): HostUser {
  if (processIds.uid !== 0) return processIds;
  const owner = statSync(projectDir);
  return { uid: owner.uid, gid: owner.gid };
}

function currentIds(): HostUser {
  return { uid: process.getuid?.() ?? 501, gid: process.getgid?.() ?? 501 };
}
