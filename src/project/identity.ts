import { basename } from 'node:path';

/**
 * A project is a directory on the host. Its Docker names come from the folder name (readable) and
 * a short hash of the absolute path (two folders with the same name never collide).
 */
export interface ProjectIdentity {
  /** Absolute, symlinks resolved. */
  dir: string;
  /** 8 hex digits of a hash of dir. */
  id: string;
  /** The folder's name as spelled on disk (`MyApp`): what people are shown. */
  name: string;
  /** The docker-safe form of the name (`myapp`), only for Docker's names. */
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

/**
 * FNV-1a (64-bit) of the path's UTF-8 bytes, as 8 hex digits. Not for security, only to tell
 * folders apart; computed here rather than with node:crypto, whose loading alone costs more than
 * a whole `claude-tui exec` may spend on itself. Names depend on it: never change it.
 */
export function pathHash(path: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(path, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return (hash >> 32n).toString(16).padStart(8, '0');
}

export function projectIdentity(absoluteDir: string): ProjectIdentity {
  const id = pathHash(absoluteDir);
  const name = basename(absoluteDir) || absoluteDir;
  const slug = slugify(name);
  const base = `claude-tui-${slug}-${id}`;
  return {
    dir: absoluteDir,
    id,
    name,
    slug,
    names: {
      gateway: `${base}-gateway`,
      agent: `${base}-agent`,
      network: `${base}-net`,
      homeVolume: `${base}-home`,
    },
  };
}
