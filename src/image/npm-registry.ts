import { UserError } from '../errors.js';
import type { ProcessRunner } from '../system/process.js';

/**
 * The npm registry the image build fetches the agent CLI from: the one this host is configured to
 * use (so a company mirror is honoured), never a name written into claude-tui.
 */
export async function resolveNpmRegistry(
  configured: string | undefined,
  env: NodeJS.ProcessEnv,
  processes: ProcessRunner,
): Promise<string> {
  const fromEnv = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  const candidate = configured ?? fromEnv ?? (await askNpm(processes));
  if (!candidate || !/^https?:\/\//.test(candidate)) {
    throw new UserError(
      'Cannot tell which npm registry to fetch the agent CLI from.',
      'Install npm (its configured registry is used), or set image.npmRegistry in .claude/claude-tui.yaml.',
    );
  }
  return candidate.replace(/\/+$/, '');
}

async function askNpm(processes: ProcessRunner): Promise<string | undefined> {
  try {
    const result = await processes.run('npm', ['config', 'get', 'registry'], {
      allowFailure: true,
      timeoutMs: 20_000,
    });
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
