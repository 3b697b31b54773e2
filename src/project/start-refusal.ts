import type { DockerEngine } from '../docker/engine.js';

/** The closing line every refusal of the agent container's start checks ends with (images/check-*.sh). */
const REFUSAL_END = 'the agent container does not start until';
const LOG_LINES = 40;

/**
 * Why the agent container's own start checks refused its last start, from its log: the check's
 * first line and the paths it names (what the entrypoint printed before exiting), or undefined
 * when the last start was not refused by a check.
 */
export async function startRefusal(engine: DockerEngine, container: string): Promise<string | undefined> {
  const logs = await engine.containerLogs(container, LOG_LINES).catch(() => '');
  return lastRefusal(logs);
}

export function lastRefusal(logs: string): string | undefined {
  const lines = logs.split('\n').map((line) => line.trimEnd());
  const end = lines.findLastIndex((line) => line.includes(REFUSAL_END));
  if (end < 0) return undefined;
  // A later start that got past the checks says so.
  if (lines.slice(end + 1).some((line) => line.includes('ready as'))) return undefined;
  let start = end - 1;
  while (start > 0 && !lines[start]!.startsWith('claude-tui: ')) start--;
  const named = lines.slice(start + 1, end).map((line) => line.trim());
  const shown = named.slice(0, 5).join('; ') + (named.length > 5 ? `; and ${named.length - 5} more` : '');
  const why = (lines[start] ?? '').replace(/^claude-tui: /, '').replace(/:$/, '');
  return `the agent container refuses to start: ${why}${shown ? `: ${shown}` : ''}`;
}
