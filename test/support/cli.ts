import { execa } from 'execa';
import { chownSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { inject } from 'vitest';
import { projectIdentity, type ProjectIdentity } from '../../src/project/identity.js';
import { TEST_ROOT } from './docker-resources.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the built binary the way a person does, with a private config and state dir. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...testEnv(), ...options.env },
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 300_000,
  });
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

const home = mkdtempSync(join('/tmp', 'claude-tui-home-'));
// Tests reach only their own hosts: no GitHub ranges fetched, and no default self-check target
// outside this machine (the firewall tests name their own).
mkdirSync(join(home, 'config'), { recursive: true });
writeFileSync(
  join(home, 'config', 'config.json'),
  JSON.stringify({ githubMeta: false, selfCheck: { blocked: [], allowed: [] } }),
);

export function testEnv(): Record<string, string> {
  return {
    CLAUDE_TUI_CONFIG_DIR: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    NO_COLOR: '1',
  };
}

/** A fresh project folder under the test root, owned by `owner` (a non-root UID by default). */
export function makeProject(name: string, owner = 1234): ProjectIdentity {
  mkdirSync(TEST_ROOT, { recursive: true });
  const dir = mkdtempSync(join(TEST_ROOT, `${name}-`));
  chownSync(dir, owner, owner);
  return projectIdentity(realpathSync(dir));
}

export async function docker(args: string[], options: { reject?: boolean } = {}): Promise<CliResult> {
  const result = await execa('docker', args, { reject: options.reject ?? true });
  return {
    stdout: String(result.stdout).trim(),
    stderr: String(result.stderr),
    exitCode: result.exitCode ?? -1,
  };
}

export function dockerAvailable(): boolean {
  return inject('dockerAvailable');
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs the built binary in a real pseudo-terminal and returns everything it printed. */
export function inTerminal(args: string[], size: { cols: number; rows: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const term = pty.spawn(process.execPath, [CLI, ...args], {
      ...size,
      env: { ...process.env, ...testEnv(), TERM: 'xterm-256color' },
    });
    let output = '';
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`timed out; output so far: ${output}`));
    }, 60_000);
    term.onData((data) => (output += data));
    term.onExit(() => {
      clearTimeout(timer);
      resolve(output);
    });
  });
}
