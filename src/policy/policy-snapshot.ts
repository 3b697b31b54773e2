import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { parseProjectConfig, PROJECT_CONFIG_FILE } from '../config/load-project-config.js';
import { POLICY_FILES, type PolicyFile } from './policy-files.js';
import { projectPath, readHostFile } from './read-host-file.js';

/**
 * The project's policy files at one moment, and the host files the config names, as text: what a
 * person reviews and approves, stored whole so that what runs is exactly what was approved, even
 * after the files change again.
 */
export interface PolicySnapshot {
  /** Each policy file that exists, by its path in the project. */
  files: Partial<Record<PolicyFile, string>>;
  /** CA certificate files the config names (by the path as written there): their text. */
  caCertificates: Record<string, string>;
  /** Mount sources the config names (as written there): the real folder on the host. */
  mountSources: Record<string, string>;
}

/** A live snapshot: what is on the host now, with what could not be read safely. */
export interface LiveSnapshot {
  snapshot: PolicySnapshot;
  /** A file that is there but was not read (a link out of the project, a FIFO, too large...). */
  refused: { path: string; reason: string }[];
}

export const EMPTY_SNAPSHOT: PolicySnapshot = { files: {}, caCertificates: {}, mountSources: {} };

/**
 * Reads the policy files as they are now. With the approved snapshot given, a config whose text is
 * the approved one names the same files, so it is not parsed again to find them.
 */
export async function captureSnapshot(projectDir: string, approved?: PolicySnapshot): Promise<LiveSnapshot> {
  const snapshot: PolicySnapshot = { files: {}, caCertificates: {}, mountSources: {} };
  const refused: LiveSnapshot['refused'] = [];
  const reads = await Promise.all(
    POLICY_FILES.map(
      async (path) => [path, await readHostFile(join(projectDir, path), { within: projectDir })] as const,
    ),
  );
  for (const [path, read] of reads) {
    if (read.kind === 'file') snapshot.files[path] = read.text;
    if (read.kind === 'refused') refused.push({ path, reason: read.reason });
  }
  const config = snapshot.files[PROJECT_CONFIG_FILE];
  const named =
    approved && config !== undefined && config === approved.files[PROJECT_CONFIG_FILE]
      ? {
          caCertificates: Object.keys(approved.caCertificates),
          mountSources: Object.keys(approved.mountSources),
        }
      : await namedFiles(projectDir, config);
  await readNamedFiles(projectDir, named, snapshot, refused);
  return { snapshot, refused };
}

/** The host files a config names: CA certificates and mount sources, as written in it. */
async function namedFiles(
  projectDir: string,
  configText: string | undefined,
): Promise<{ caCertificates: string[]; mountSources: string[] }> {
  if (configText === undefined) return { caCertificates: [], mountSources: [] };
  // A config that does not parse names nothing (it cannot be approved anyway, and says why).
  const config = await parseProjectConfig(join(projectDir, PROJECT_CONFIG_FILE), configText).catch(
    () => undefined,
  );
  return {
    caCertificates: config?.image?.caCertificates ?? [],
    mountSources: (config?.mounts ?? []).map((m) => m.source),
  };
}

/**
 * The files the config points at are part of the proposal too: a certificate's content and where
 * a mount source really leads.
 */
async function readNamedFiles(
  projectDir: string,
  named: { caCertificates: string[]; mountSources: string[] },
  snapshot: PolicySnapshot,
  refused: LiveSnapshot['refused'],
): Promise<void> {
  for (const path of named.caCertificates) {
    // Inside the project it must stay inside; a certificate elsewhere on the host is named on purpose.
    const full = projectPath(projectDir, path);
    const inside = !isAbsolute(path) && !relative(projectDir, full).startsWith('..');
    const read = await readHostFile(full, inside ? { within: projectDir } : {});
    if (read.kind === 'file') snapshot.caCertificates[path] = read.text;
    else refused.push({ path, reason: read.kind === 'absent' ? 'does not exist' : read.reason });
  }
  for (const source of named.mountSources) {
    const real = await realpath(projectPath(projectDir, source)).catch(() => undefined);
    if (real) snapshot.mountSources[source] = real;
    else refused.push({ path: source, reason: 'does not exist (a mount source)' });
  }
}

export function sameSnapshot(a: PolicySnapshot, b: PolicySnapshot): boolean {
  return canonical(a) === canonical(b);
}

function canonical(snapshot: PolicySnapshot): string {
  const sorted = (record: Record<string, string>) =>
    Object.fromEntries(Object.entries(record).sort(([x], [y]) => x.localeCompare(y)));
  return JSON.stringify([
    sorted(snapshot.files),
    sorted(snapshot.caCertificates),
    sorted(snapshot.mountSources),
  ]);
}
