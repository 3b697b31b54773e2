import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AllowlistFile } from './project-allowlist.js';

/**
 * The version of the project's allowlist files the person approved, kept on the host outside the
 * workspace, where the agent cannot reach it. Only this version is ever applied.
 */
export interface Approved {
  files: AllowlistFile[];
  approvedAt: string;
}

export function approvalFile(projectStateDir: string): string {
  return join(projectStateDir, 'approved-allowlist.json');
}

export async function readApproved(projectStateDir: string): Promise<Approved | undefined> {
  try {
    return JSON.parse(await readFile(approvalFile(projectStateDir), 'utf8')) as Approved;
  } catch {
    return undefined;
  }
}

export async function writeApproved(projectStateDir: string, files: readonly AllowlistFile[]): Promise<void> {
  await mkdir(projectStateDir, { recursive: true });
  const file = approvalFile(projectStateDir);
  const approved: Approved = { files: [...files], approvedAt: new Date().toISOString() };
  await writeFile(`${file}.tmp`, JSON.stringify(approved, null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}
