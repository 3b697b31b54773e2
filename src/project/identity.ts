import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/**
 * A project is a directory on the host. Its Docker names come from the folder name (readable) and
 * a short hash of the absolute path (two folders with the same name never collide).
 */
export interface ProjectIdentity {
  /** Absolute, symlinks resolved. */
  dir: string;
  /** 8 hex digits of sha256(dir). */
  id: string;
  slug: string;
  names: {
    gateway: string;
    agent: string;
    network: string;
    homeVolume: string;
  };
}

const maxSlugLength = 32;

export function slugify(folderName: string): string {
  const slug = folderName
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, maxSlugLength)
    .replace(/[^a-z0-9]+$/, '');
  return slug || 'project';
}

export function projectIdentity(absoluteDir: string): ProjectIdentity {
  const id = createHash('sha256').update(absoluteDir).digest('hex').slice(0, 8);
  const slug = slugify(basename(absoluteDir));
  const base = `claude-tui-${slug}-${id}`;
  return {
    dir: absoluteDir,
    id,
    slug,
    names: {
      gateway: `${base}-gateway`,
      agent: `${base}-agent`,
      network: `${base}-net`,
      homeVolume: `${base}-home`,
    },
  };
}
