import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * The app settings through the built binary. `ls` reads them before it asks Docker anything, so
 * none of this needs the Engine; a missing socket stands in for it where a run gets that far.
 */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function settingsDir(configJson: string): string {
  const dir = mkdtempSync(join('/tmp', 'claude-tui-settings-'));
  made.push(dir);
  writeFileSync(join(dir, 'config.json'), configJson, { mode: 0o600 });
  return dir;
}

describe('app settings (config.json) through the binary', () => {
  it('stops at a typo with exit 1, naming the file, line:col and key; no internal error', async () => {
    const dir = settingsDir(
      '{\n  "githubMeta": false,\n  "notifications": { "sms": { "tto": "+15550100" } }\n}\n',
    );
    const result = await runCli(['ls'], { env: { CLAUDE_TUI_CONFIG_DIR: dir } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `${dir}/config.json:3:31: notifications.sms.tto: unknown key (expected one of: to, from, accountSid, apiBase)`,
    );
    expect(result.stderr).not.toContain('internal error');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });

  it('stops at invalid JSON the same way', async () => {
    const dir = settingsDir('{"githubMeta": false,}');
    const result = await runCli(['ls'], { env: { CLAUDE_TUI_CONFIG_DIR: dir } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `${dir}/config.json:1:22: is not valid JSON: a trailing comma is not allowed`,
    );
  });

  it('moves an auth token out of config.json into a 0600 secrets file, and says so once', async () => {
    const dir = settingsDir(
      JSON.stringify({ notifications: { sms: { to: '+15550100', authToken: 'tok-8c2e' } } }),
    );
    const env = { CLAUDE_TUI_CONFIG_DIR: dir, DOCKER_HOST: `unix://${dir}/no-docker.sock` };
    const first = await runCli(['ls'], { env });
    expect(first.exitCode).toBe(3);
    expect(first.stderr).toContain(
      `Moved notifications.sms.authToken out of ${dir}/config.json into ${dir}/secrets.json`,
    );
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('tok-8c2e');
    expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'))).toEqual({
      twilioAuthToken: 'tok-8c2e',
    });
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    const second = await runCli(['ls'], { env });
    expect(second.stderr).not.toContain('Moved');
  });
});
