import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative } from 'node:path';
import type { CaCertificate } from './ca-certificates.js';

/** The default agent CLI version, pinned so that builds are reproducible. */
export const DEFAULT_AGENT_VERSION = '2.1.330';
export const DEFAULT_BASE_IMAGE = 'debian:bookworm-slim';
export const IMAGE_REPOSITORY = 'claude-tui-agent';

/**
 * The image's build files that ship with claude-tui: `images/` at the package root, looked for
 * upwards from this module (in src/image/ under test, in the bundle in dist/ when installed).
 */
export const bundledImagesDir = findUpwards(dirname(fileURLToPath(import.meta.url)), 'images');

function findUpwards(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, name, 'Dockerfile'))) return join(dir, name) + '/';
    // The package root is as far as it goes: an ancestor's images/ is somebody else's.
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) return join(dir, name) + '/';
  }
}

export interface ImageInputs {
  /** Build context: relative path → content. */
  files: Map<string, Buffer>;
  buildArgs: Record<string, string>;
  /** sha256 over files and build args: the image is rebuilt only when it changes. */
  hash: string;
  tag: string;
}

export interface ImageInputOptions {
  imagesDir?: string;
  baseImage?: string;
  agentVersion?: string;
  caCertificates: readonly CaCertificate[];
}

export async function collectImageInputs(options: ImageInputOptions): Promise<ImageInputs> {
  const dir = options.imagesDir ?? bundledImagesDir;
  const files = new Map<string, Buffer>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), await readFile(path));
  }
  options.caCertificates.forEach((ca, index) => files.set(`ca/extra-${index + 1}.crt`, Buffer.from(ca.pem)));

  const buildArgs = {
    BASE_IMAGE: options.baseImage ?? DEFAULT_BASE_IMAGE,
    CLAUDE_CODE_VERSION: options.agentVersion ?? DEFAULT_AGENT_VERSION,
  };
  const hash = hashInputs(files, buildArgs);
  return { files, buildArgs, hash, tag: `${IMAGE_REPOSITORY}:${hash.slice(0, 12)}` };
}

export function hashInputs(files: ReadonlyMap<string, Buffer>, buildArgs: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const name of [...files.keys()].sort()) {
    hash.update(`file ${name} ${files.get(name)!.length}\n`);
    hash.update(files.get(name)!);
  }
  for (const key of Object.keys(buildArgs).sort()) hash.update(`arg ${key}=${buildArgs[key]}\n`);
  return hash.digest('hex');
}
