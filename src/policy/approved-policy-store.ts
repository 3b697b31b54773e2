import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { ALLOWLIST_FILES } from '../firewall/project-allowlist.js';
import type { PolicySnapshot } from './policy-snapshot.js';

/**
 * What the person approved, kept in the project's state folder on the host (mode 0600), where no
 * agent can write. A project without one runs on the defaults.
 */
export interface ApprovedPolicy {
  snapshot: PolicySnapshot;
  approvedAt: string;
}

const FILE = 'approved-policy.json';
/** Before every policy file was approved, only the allowlists were; that approval still holds. */
const ALLOWLIST_ONLY_FILE = 'approved-allowlist.json';

export async function readApprovedPolicy(projectStateDir: string): Promise<ApprovedPolicy | undefined> {
  const file = join(projectStateDir, FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw unreadable(file, error.message);
  });
  if (text === undefined) return readAllowlistOnlyApproval(projectStateDir);
  try {
    const stored = JSON.parse(text) as { version?: number } & Partial<ApprovedPolicy>;
    if (stored.version === 1 && stored.snapshot && typeof stored.approvedAt === 'string') {
      return { snapshot: stored.snapshot, approvedAt: stored.approvedAt };
    }
  } catch {
    // Reported below, with the file's name.
  }
  throw unreadable(file, 'it is not what claude-tui writes');
}

export async function writeApprovedPolicy(
  projectStateDir: string,
  snapshot: PolicySnapshot,
): Promise<ApprovedPolicy> {
  await mkdir(projectStateDir, { recursive: true, mode: 0o700 });
  const file = join(projectStateDir, FILE);
  const approved: ApprovedPolicy = { snapshot, approvedAt: new Date().toISOString() };
  await writeFile(`${file}.tmp`, JSON.stringify({ version: 1, ...approved }, null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return approved;
}

async function readAllowlistOnlyApproval(projectStateDir: string): Promise<ApprovedPolicy | undefined> {
  const text = await readFile(join(projectStateDir, ALLOWLIST_ONLY_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const old = JSON.parse(text) as { files?: { path: string; text: string }[]; approvedAt?: string };
    const files: PolicySnapshot['files'] = {};
    for (const file of old.files ?? []) {
      if ((ALLOWLIST_FILES as readonly string[]).includes(file.path) && typeof file.text === 'string') {
        files[file.path as (typeof ALLOWLIST_FILES)[number]] = file.text;
      }
    }
    return { snapshot: { files, caCertificates: {}, mountSources: {} }, approvedAt: old.approvedAt ?? '' };
  } catch {
    return undefined;
  }
}

function unreadable(file: string, why: string): UserError {
  return new UserError(
    `The record of what you approved, ${file}, cannot be read: ${why}.`,
    'Nothing was applied. Remove the file and approve the project again (claude-tui approve).',
  );
}

/** The approval's file, for a process that follows it (the bridge relay re-reads it on change). */
export function approvedPolicyPath(projectStateDir: string): string {
  return join(projectStateDir, FILE);
}
