import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * GitHub's published address ranges (web, api, git), so that git over SSH and HTTPS work even where
 * a name resolves to an address the resolver has not seen. Fetched with a short timeout; on failure
 * the last good copy is used, then nothing (the names in the default list still work).
 */
export const GITHUB_META_URL = 'https://api.github.com/meta';
const freshForMs = 24 * 60 * 60 * 1000;

export interface AddressRanges {
  v4: string[];
  v6: string[];
}

export async function githubRanges(
  cacheFile: string,
  options: { fetchImpl?: typeof fetch; timeoutMs?: number; now?: number } = {},
): Promise<AddressRanges | undefined> {
  const now = options.now ?? Date.now();
  const cached = await readCache(cacheFile);
  if (cached && now - cached.at < freshForMs) return cached.ranges;
  try {
    const response = await (options.fetchImpl ?? fetch)(GITHUB_META_URL, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const ranges = rangesFromMeta((await response.json()) as Record<string, unknown>);
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, JSON.stringify({ at: now, ranges }));
    return ranges;
  } catch {
    return cached?.ranges;
  }
}

export function rangesFromMeta(meta: Record<string, unknown>): AddressRanges {
  const all = ['web', 'api', 'git']
    .flatMap((key) => (Array.isArray(meta[key]) ? (meta[key] as unknown[]) : []))
    .filter((r): r is string => typeof r === 'string');
  const unique = [...new Set(all)];
  return { v4: unique.filter((r) => !r.includes(':')), v6: unique.filter((r) => r.includes(':')) };
}

async function readCache(file: string): Promise<{ at: number; ranges: AddressRanges } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { at: number; ranges: AddressRanges };
    return Array.isArray(parsed.ranges?.v4) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
