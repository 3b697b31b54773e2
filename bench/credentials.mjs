// Figures for credentials: what a token change costs the next session: `login --token-stdin` with
// a new token, plus what handing it over adds to `start` (a start with a token against one without,
// interleaved in the same run); the session is checked to have the new token, and no container to
// have been made anew.
import { createHash } from 'node:crypto';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
const { dir, env } = benchProject('claude-tui-bench-cred-', { notifications: { desktop: false } });
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent', import.meta.url));
mkdirSync(join(dir, '.claude'));
writeFileSync(
  join(dir, '.claude', 'claude-tui.yaml'),
  `agent:\n  command: /opt/fake-agent/fake-agent\nmounts:\n  - { source: ${fakeAgent}, target: /opt/fake-agent }\n`,
);
chownSync(dir, 1234, 1234);
const cli = (args, options = {}) => run(process.execPath, [CLI, ...args], { env, ...options });
const timeCli = (args, options = {}) => timeRun(process.execPath, [CLI, ...args], { env, ...options });
const containers = () =>
  run('docker', ['ps', '-q', '--no-trunc', '--filter', `label=dev.claude-tui.project=${dir}`]);

try {
  cli(['up', dir, '--yes']);
  const before = containers();
  const plain = [];
  const logins = [];
  const withToken = [];
  let token = '';
  // Interleaved, so that a busy moment of the machine weighs on both sides alike.
  for (let round = 0; round < rounds; round++) {
    cli(['logout', '--project', dir], { allowFailure: true });
    plain.push(timeCli(['start', dir, '--name', `plain${round}`]));
    cli(['stop', `plain${round}`, '--project', dir]);
    token = `sk-ant-oat01-bench${round}`.padEnd(108, 'x');
    logins.push(
      timeCli(['login', '--project', dir, '--token-stdin'], {
        input: token,
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    withToken.push(timeCli(['start', dir, '--name', `token${round}`]));
    cli(['stop', `token${round}`, '--project', dir]);
  }
  // The last session's agent printed the hash of what it was given: the last token.
  const expected = createHash('sha256').update(token).digest('hex').slice(0, 32);
  const transcript = cli(['logs', `token${rounds - 1}`, '--project', dir]);
  if (!transcript.includes(expected)) throw new Error('the last session did not get the last token');
  if (containers() !== before) throw new Error('a container was made anew');

  const handOver = median(withToken) - median(plain);
  report('login --token-stdin (the change)', median(logins), 'ms');
  report('start with a token, less start without', handOver, 'ms');
  report('token change to the next session', median(logins) + Math.max(0, handOver), 'ms', {
    text: '< 500 ms',
    test: (v) => v < 500,
  });
  report('  (start without a token, for scale)', median(plain), 'ms');
  console.log(`${'containers made anew'.padEnd(48)} ${'0'.padStart(10)}`);
} finally {
  removeBenchProject(dir, env);
}
