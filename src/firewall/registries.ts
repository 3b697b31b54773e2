import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ProcessRunner } from '../system/process.js';

/**
 * The package registries this host is configured to use (npm's registry, pip's index and its file
 * host), read from the package managers themselves at run time so that a company mirror is what
 * gets allowed. Cached for a day: asking npm and pip costs about half a second.
 */
const cacheTtlMs = 24 * 60 * 60 * 1000;

export async function packageRegistryHosts(
  processes: ProcessRunner,
  env: NodeJS.ProcessEnv,
  cacheFile: string,
  now = Date.now(),
): Promise<string[]> {
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { at: number; hosts: string[] };
    if (now - cached.at < cacheTtlMs && Array.isArray(cached.hosts)) return cached.hosts;
  } catch {
    // No cache yet, or unreadable: ask the package managers.
  }
  const urls = [...(await npmRegistries(processes, env)), ...(await pipIndexes(processes, env))];
  const hosts = [...new Set(urls.map(hostOf).filter((h): h is string => Boolean(h)))].sort();
  await mkdir(dirname(cacheFile), { recursive: true });
  await writeFile(cacheFile, JSON.stringify({ at: now, hosts }));
  return hosts;
}

export function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.hostname.toLowerCase()
      : undefined;
  } catch {
    return undefined;
  }
}

async function ask(processes: ProcessRunner, command: string, args: string[]): Promise<string> {
  try {
    const result = await processes.run(command, args, { allowFailure: true, timeoutMs: 10_000 });
    return result.exitCode === 0 ? result.stdout.trim() : '';
  } catch {
    return '';
  }
}

async function npmRegistries(processes: ProcessRunner, env: NodeJS.ProcessEnv): Promise<string[]> {
  const fromEnv = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  return [fromEnv ?? (await ask(processes, 'npm', ['config', 'get', 'registry']))].filter(Boolean);
}

async function pipIndexes(processes: ProcessRunner, env: NodeJS.ProcessEnv): Promise<string[]> {
  const configured = [
    env.PIP_INDEX_URL ?? (await ask(processes, 'pip3', ['config', 'get', 'global.index-url'])),
    ...(
      env.PIP_EXTRA_INDEX_URL ?? (await ask(processes, 'pip3', ['config', 'get', 'global.extra-index-url']))
    )
      .split(/\s+/)
      .filter(Boolean),
  ].filter(Boolean);
  // With no index configured, pip uses its built-in one: ask pip for it (and its file host).
  if (!configured.some((url) => hostOf(url))) {
    const builtIn = await ask(processes, 'python3', [
      '-c',
      'from pip._internal.models.index import PyPI; print(PyPI.url); print("https://" + PyPI.file_storage_domain)',
    ]);
    configured.push(...builtIn.split('\n').filter(Boolean));
  }
  return configured;
}
