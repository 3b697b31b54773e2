import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, runCli, type CliResult } from './cli.js';

const CURL = ['curl', '-sS', '-g', '--max-time', '5', '-o', '-', '-w', '\\n%{time_total}'];

/** Runs curl in the agent through `claude-tui exec`; returns its exit code, body and time taken. */
export async function fetchFromAgent(project: ProjectIdentity, url: string) {
  return fetchResult(await runCli(['exec', project.dir, '--', ...CURL, url]));
}

/** The same probe in an agent container made some other way (compose), as the agent's user. */
export async function fetchInContainer(container: string, url: string) {
  return fetchResult(
    await docker(['exec', '-u', 'claude', '-w', '/workspace', container, ...CURL, url], { reject: false }),
  );
}

function fetchResult(result: CliResult) {
  const lines = result.stdout.trim().split('\n');
  return {
    code: result.exitCode,
    body: lines.slice(0, -1).join('\n').trim(),
    seconds: Number(lines.at(-1)),
    stderr: result.stderr,
  };
}
