// `npm run bench`: every figure, one script after another (they share one Docker Engine).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const scripts = [
  'app-settings.mjs',
  'image-size.mjs',
  'project-lifecycle.mjs',
  'secret-shadows.mjs',
  'firewall.mjs',
  'rejoin.mjs',
  'sessions.mjs',
  'remote-attach.mjs',
  'dashboard-engines.mjs',
  'credentials.mjs',
  'run.mjs',
  'logs.mjs',
  'dashboard.mjs',
  'git-session.mjs',
  'git-merge.mjs',
  'merge-screen.mjs',
  'bridge.mjs',
];
let failed = false;
for (const script of scripts) {
  const result = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
    stdio: 'inherit',
  });
  failed ||= result.status !== 0;
  console.log();
}
process.exitCode = failed ? 1 : 0;
