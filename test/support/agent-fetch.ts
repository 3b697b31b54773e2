import type { ProjectIdentity } from '../../src/project/identity.js';
import { runCli } from './cli.js';

/** Runs curl in the agent through `claude-tui exec`; returns its exit code, body and time taken. */
export async function fetchFromAgent(project: ProjectIdentity, url: string) {
  const result = await runCli([
    'exec',
    project.dir,
    '--',
    'curl',
    '-sS',
    '-g',
    '--max-time',
    '5',
    '-o',
    '-',
    '-w',
    '\\n%{time_total}',
    url,
  ]);
  const lines = result.stdout.trim().split('\n');
  return {
    code: result.exitCode,
    body: lines.slice(0, -1).join('\n').trim(),
    seconds: Number(lines.at(-1)),
    stderr: result.stderr,
  };
}
