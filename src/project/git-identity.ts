import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessRunner } from '../system/process.js';

/**
 * The person's git identity, as their own git would use it in the project (its repository's
 * config, then the global one, includes followed), handed to the agent containers so that the
 * agent's commits carry it. A git session's clone is given the same identity in its own config
 * when it is made (git/seed-clone.ts); this file is the default below a repository's own setting.
 */
export interface GitIdentity {
  name?: string;
  email?: string;
}

export function gitIdentityFile(projectStateDir: string): string {
  return join(projectStateDir, 'git-identity');
}

export async function readHostGitIdentity(
  processes: ProcessRunner,
  projectDir: string,
): Promise<GitIdentity> {
  try {
    const result = await processes.run('git', ['config', '-z', '--get-regexp', '^user\\.(name|email)$'], {
      cwd: projectDir,
      allowFailure: true,
    });
    // Exit 1: neither is set. The commits then say what git says without an identity.
    return result.exitCode === 0 ? parseIdentity(result.stdout) : {};
  } catch {
    // No git on this machine: nothing to lend.
    return {};
  }
}

/** `git config -z --get-regexp` output: "key\nvalue\0" per entry; the last of a key wins, as in git. */
export function parseIdentity(output: string): GitIdentity {
  const identity: GitIdentity = {};
  for (const entry of output.split('\0')) {
    const newline = entry.indexOf('\n');
    if (newline < 0) continue;
    const [key, value] = [entry.slice(0, newline).toLowerCase(), entry.slice(newline + 1)];
    if (key === 'user.name') identity.name = value;
    if (key === 'user.email') identity.email = value;
  }
  return identity;
}

/** A git config file setting the identity; values quoted, so no value can start another setting. */
export function renderIdentity(identity: GitIdentity): string {
  const lines = ['# Written by claude-tui from your git config on the host; rewritten at each up and start.'];
  if (identity.name !== undefined || identity.email !== undefined) lines.push('[user]');
  if (identity.name !== undefined) lines.push(`\tname = ${quote(identity.name)}`);
  if (identity.email !== undefined) lines.push(`\temail = ${quote(identity.email)}`);
  return `${lines.join('\n')}\n`;
}

function quote(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\x00-\x1f\x7f]/g, '');
  return `"${escaped}"`;
}

/**
 * Writes the file in place when its text changes: the containers mount this very file (its inode),
 * so a new file renamed over it would never reach them. Readable by the agent's user, whatever UID
 * that is.
 */
export async function writeIdentityFile(file: string, text: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return;
  await writeFile(file, text, { mode: 0o644 });
  await chmod(file, 0o644);
}
