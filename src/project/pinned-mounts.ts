/**
 * Bind mounts whose host source lies inside a folder the agent can write (the project, a writable
 * extra mount). Docker resolves a bind's source path again at every start of the container, its
 * own restarts included, which the agent can cause; by then the agent may have renamed a folder
 * above the source and put a link in its place, and Docker would mount whatever the link leads to
 * on the host (read-only, but readable). `up` checks the sources for links only when it runs.
 *
 * So the agent container's entrypoint checks at every start, as root and before anything of the
 * agent's runs (images/check-mount-sources.sh), that each such mount shows what lies at that path
 * inside the writable folder it comes from: the same file system, at the writable mount's own root
 * plus the path below it, as the kernel reports both in /proc/self/mountinfo. A link anywhere on
 * the way leads the mount elsewhere, so the start is refused; a file or folder replaced at the same
 * place (`git config` writes `.git/config` anew, editors save by rename) is still the workspace's
 * own and starts as before.
 */

/** A mount as the Engine's create body lists it. */
export interface SpecMount {
  Type: string;
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
}

/** One mount the start check holds to its place: `target` must show `base`'s source + `/below`. */
export interface PinnedMount {
  target: string;
  /** The writable bind (its target) the source lies in. */
  base: string;
  /** The source's path below the writable bind's source. */
  below: string;
}

/** Read by images/check-mount-sources.sh. */
export const PINNED_MOUNTS_ENV = 'CLAUDE_TUI_PINNED_MOUNTS';

export function pinnedMounts(mounts: readonly SpecMount[]): PinnedMount[] {
  const binds = mounts.filter((m) => m.Type === 'bind' && m.Source);
  const writable = binds.filter((m) => !m.ReadOnly);
  return binds.flatMap((mount) => {
    const base = writable.find(
      (w) => w !== mount && mount.Source!.startsWith(`${w.Source!.replace(/\/+$/, '')}/`),
    );
    if (!base) return [];
    const below = mount.Source!.slice(base.Source!.replace(/\/+$/, '').length + 1);
    return [{ target: mount.Target, base: base.Target, below }];
  });
}

/**
 * One line a mount, three fields split by spaces, each escaped as the kernel escapes mountinfo
 * (space, tab, newline and backslash in octal), which the check decodes with printf %b.
 */
export function pinnedMountsEnv(mounts: readonly SpecMount[]): string[] {
  const pinned = pinnedMounts(mounts);
  if (!pinned.length) return [];
  const lines = pinned.map((p) => [p.target, p.base, p.below].map(escapeLikeMountinfo).join(' '));
  return [`${PINNED_MOUNTS_ENV}=${lines.join('\n')}`];
}

export function escapeLikeMountinfo(path: string): string {
  return path.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
