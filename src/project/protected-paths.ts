import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { PROTECTED_PATHS } from './container-specs.js';

/**
 * The protected paths that exist in the project as real files or folders. A path that is (or
 * passes through) a symbolic link is left out: Docker follows links when it mounts, so mounting
 * one would put whatever it leads to (anywhere on the host) into the agent's container. Such a
 * path is not protected by a mount; the policy review and the host-run watch still see it.
 */
export async function protectedPathsIn(projectDir: string): Promise<string[]> {
  const root = await realpath(projectDir);
  const present = await Promise.all(
    PROTECTED_PATHS.map(async (path): Promise<string | undefined> => {
      const real = await realpath(join(projectDir, path)).catch(() => undefined);
      return real === join(root, path) ? path : undefined;
    }),
  );
  return present.filter((path): path is string => path !== undefined);
}
