// What checking the app settings costs a command: `claude-tui ls` with a typical config.json
// against the same command with none (no file: nothing to parse, zod not loaded). Docker is
// pointed at a socket that does not exist, so each run ends right after the settings are read.
// The file lists no projects: `ls` looks at each one it lists, which is not the settings' cost.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, median, report, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 41);
const withSettings = mkdtempSync(join(tmpdir(), 'claude-tui-bench-settings-'));
writeFileSync(
  join(withSettings, 'config.json'),
  JSON.stringify(
    {
      projects: [],
      caCertificates: [],
      githubMeta: false,
      notifications: { webhook: 'https://hooks.example/claude', sms: { to: '+15550100', from: '+15550199' } },
      keys: { 'session.stop': 'X' },
      selfCheck: { blocked: ['192.0.2.1:80'], allowed: [] },
      watchPaths: ['src', 'docs'],
    },
    undefined,
    '\t',
  ),
);
const withoutSettings = mkdtempSync(join(tmpdir(), 'claude-tui-bench-settings-'));

const ls = (configDir) =>
  timeRun(process.execPath, [CLI, 'ls'], {
    allowFailure: true,
    env: {
      ...process.env,
      CLAUDE_TUI_CONFIG_DIR: configDir,
      XDG_STATE_HOME: configDir,
      DOCKER_HOST: `unix://${join(configDir, 'no-docker.sock')}`,
    },
  });

// Warm Node's compile cache for both paths, then alternate so that load on the machine hits both.
const checked = [];
const none = [];
try {
  ls(withSettings);
  ls(withoutSettings);
  for (let i = 0; i < rounds; i++) {
    checked.push(ls(withSettings));
    none.push(ls(withoutSettings));
  }
} finally {
  rmSync(withSettings, { recursive: true, force: true });
  rmSync(withoutSettings, { recursive: true, force: true });
}
console.log(`claude-tui bench: app settings (${rounds} rounds, medians)`);
report('ls, no config.json (baseline)', median(none), 'ms');
report('ls, a typical config.json, checked by zod', median(checked), 'ms');
report('reading and checking config.json', median(checked) - median(none), 'ms', {
  text: '< 20 ms',
  test: (v) => v < 20,
});
