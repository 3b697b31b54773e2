import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_RESOLV_CONF, renderPolicyFiles, type FirewallPolicy } from './policy.js';

export const policyDir = (projectStateDir: string) => join(projectStateDir, 'policy');
export const resolvConfPath = (projectStateDir: string) => join(projectStateDir, 'resolv.conf');
/**
 * Where the gateway also writes its firewall status (a file mounted into it), so that a session's
 * start reads it without a process in the gateway. Made once and never replaced: the mount holds
 * the file itself.
 */
export const firewallStatusPath = (projectStateDir: string) => join(projectStateDir, 'firewall-status');

/**
 * Writes the policy where the gateway reads it (a folder mounted read-only into it). Files are
 * replaced one by one by rename, never the folder, which would detach the mount. Returns whether
 * anything changed, so an unchanged policy is not reloaded.
 */
export interface WrittenPolicy {
  changed: boolean;
  /** Puts back the files that were there before, for an operation that failed part-way. */
  restore: () => Promise<void>;
}

/**
 * `publish` takes the files on from the state folder to where the gateway reads them, when that
 * is not this machine (a remote project's volume): after the write, and again after a restore.
 */
export async function writePolicy(
  projectStateDir: string,
  policy: FirewallPolicy,
  publish?: () => Promise<unknown>,
): Promise<WrittenPolicy> {
  const dir = policyDir(projectStateDir);
  await mkdir(dir, { recursive: true });
  const previous = new Map<string, string | undefined>();
  for (const [name, content] of Object.entries(renderPolicyFiles(policy))) {
    const path = join(dir, name);
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === content) continue;
    previous.set(path, current);
    await replaceFile(path, content);
  }
  await writeFile(firewallStatusPath(projectStateDir), '', { flag: 'a', mode: 0o644 });
  const resolv = resolvConfPath(projectStateDir);
  if ((await readFile(resolv, 'utf8').catch(() => undefined)) !== AGENT_RESOLV_CONF) {
    await writeFile(resolv, AGENT_RESOLV_CONF, { mode: 0o644 });
  }
  await publish?.();
  return {
    changed: previous.size > 0,
    restore: async () => {
      for (const [path, content] of previous) await replaceFile(path, content ?? '');
      await publish?.();
    },
  };
}

async function replaceFile(path: string, content: string): Promise<void> {
  await writeFile(`${path}.tmp`, content, { mode: 0o644 });
  await rename(`${path}.tmp`, path);
}
