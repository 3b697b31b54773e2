// Figures for sessions, each against a direct `docker exec -it … tmux attach` in the same run:
// attach (command to first screen byte), detach (key to prompt back), keystroke echo round trip,
// output throughput of a large `cat`, and a state change to visible in `claude-tui watch`.
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, ptySession, report, run } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const project = benchProject('claude-tui-bench-s-', { notifications: { desktop: false } });
const { dir } = project;
const env = { ...project.env, TERM: 'xterm-256color' };
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent', import.meta.url));
mkdirSync(join(dir, '.claude'));
writeFileSync(
  join(dir, '.claude', 'claude-tui.yaml'),
  `agent:\n  command: /opt/fake-agent/fake-agent\nmounts:\n  - { source: ${fakeAgent}, target: /opt/fake-agent }\n`,
);
// 4 MB of text for the throughput figure, ending in a marker.
writeFileSync(join(dir, 'big.txt'), 'x'.repeat(99).concat('\n').repeat(40_000) + 'END-OF-BIG\n');
chownSync(dir, 1234, 1234);
const cli = (...args) => run(process.execPath, [CLI, ...args], { env });
const DETACH = '\x1b[57361;1337~';

const echoKeys = Number(process.env.BENCH_ECHO_KEYS ?? 30);

// Both sides run the same tmux client (`tmux -u attach-session`, same TERM) in the same kind of pty,
// read the same way; only the path between the pty and tmux differs.
function session(kind, agent) {
  const [file, args] =
    kind === 'ours'
      ? [process.execPath, [CLI, 'attach', 'bench', '--project', dir]]
      : [
          'docker',
          ['exec', '-it', '-u', 'claude', '-e', `TERM=${env.TERM}`, agent].concat([
            'tmux',
            '-u',
            'attach-session',
            '-t',
            '=bench',
          ]),
        ];
  return ptySession(file, args, env);
}

const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function measure(kind, agent) {
  const s = session(kind, agent);
  await s.waitFor('\x1b[?1049h', 0);
  await s.waitFor('> ', 0);
  const attachMs = s.firstByte();
  await pause(200);
  // Keystroke echo: one character out, its echo back. Upper-case letters, which no escape
  // sequence tmux writes here ends in, so the match is the echo itself.
  const echoes = [];
  for (let i = 0; i < echoKeys; i++) {
    const key = String.fromCharCode(65 + (i % 26));
    const from = s.length;
    const t = performance.now();
    s.p.write(key);
    echoes.push((await s.waitFor(key, from)) - t);
    await pause(15);
  }
  s.p.write('\x15'); // clear the typed line (the fake agent reads lines)
  await pause(100);
  const from = s.length;
  const t = performance.now();
  s.p.write('cat /workspace/big.txt\r');
  const catMs = (await s.waitFor('END-OF-BIG', from)) - t;
  await pause(200);
  const td = performance.now();
  s.p.write(kind === 'ours' ? '\x11' : DETACH);
  const detachMs = (await s.exit) - td;
  if (process.env.BENCH_DEBUG)
    console.error(
      kind.padEnd(7),
      `echo ${median(echoes).toFixed(2)} ms (first/second half ${median(echoes.slice(0, echoKeys / 2)).toFixed(2)}/${median(echoes.slice(echoKeys / 2)).toFixed(2)})`,
      `cat ${catMs.toFixed(0)} ms`,
    );
  return { attachMs, echoes, catMs, detachMs };
}

try {
  cli('up', dir, '--yes');
  cli('start', dir, '--name', 'bench');
  const agent = JSON.parse(cli('status', dir, '--json')).agent.name;
  await pause(1000);
  const results = { ours: [], direct: [] };
  // A warm-up pair, not counted, then rounds in alternating order (ABBA…) so that drift in the
  // machine's load weighs on both sides alike.
  await measure('direct', agent);
  await measure('ours', agent);
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? ['ours', 'direct'] : ['direct', 'ours'];
    for (const kind of order) results[kind].push(await measure(kind, agent));
  }
  const echoMs = (kind) => median(results[kind].flatMap((r) => r.echoes));
  const pick = (kind, key) => median(results[kind].map((r) => r[key]));

  // State change to visible: `claude-tui watch` prints the change; time from the prompt to it.
  const watch = spawn(process.execPath, [CLI, 'watch', dir], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let watchOut = '';
  watch.stdout.on('data', (d) => (watchOut += d));
  await new Promise((r) => setTimeout(r, 1500));
  const visible = [];
  for (let i = 0; i < rounds; i++) {
    const from = watchOut.length;
    const t = performance.now();
    run('docker', [
      'exec',
      '-u',
      'claude',
      agent,
      'tmux',
      'send-keys',
      '-t',
      '=bench:',
      i % 2 ? 'y' : 'ask',
      'Enter',
    ]);
    const want = i % 2 ? /bench {2}idle/ : /bench {2}waiting/;
    while (!want.test(watchOut.slice(from))) await new Promise((r) => setTimeout(r, 5));
    visible.push(performance.now() - t);
  }
  watch.kill();

  const bytes = 4_000_000 + 11;
  console.log(
    `claude-tui bench: sessions (${rounds} rounds, medians; "direct" is docker exec -it … tmux attach)`,
  );
  report('attach, direct: command to first screen byte', pick('direct', 'attachMs'), 'ms');
  report('attach, claude-tui', pick('ours', 'attachMs'), 'ms', { text: '< 300 ms', test: (v) => v < 300 });
  report('detach, claude-tui: key to prompt back', pick('ours', 'detachMs'), 'ms', {
    text: '< 100 ms',
    test: (v) => v < 100,
  });
  report(`keystroke echo, direct (${rounds * echoKeys} keys)`, echoMs('direct'), 'ms');
  report(`keystroke echo, claude-tui (${rounds * echoKeys} keys)`, echoMs('ours'), 'ms');
  report('echo ratio (claude-tui / direct)', echoMs('ours') / echoMs('direct'), 'x', {
    text: '<= 1.1x',
    test: (v) => v <= 1.1,
  });
  report('cat 4 MB, direct', bytes / 1e6 / (pick('direct', 'catMs') / 1000), 'MB/s');
  report('cat 4 MB, claude-tui', bytes / 1e6 / (pick('ours', 'catMs') / 1000), 'MB/s');
  report('throughput ratio (claude-tui / direct)', pick('direct', 'catMs') / pick('ours', 'catMs'), 'x', {
    text: '>= 0.9x',
    test: (v) => v >= 0.9,
  });
  report('state change to visible in `claude-tui watch`', median(visible), 'ms', {
    text: '< 1000 ms',
    test: (v) => v < 1000,
  });
} finally {
  run(process.execPath, [CLI, 'down', dir], { env, allowFailure: true });
  const volumes = run('docker', ['volume', 'ls', '-q', '--filter', `label=dev.claude-tui.project=${dir}`], {
    allowFailure: true,
  });
  if (volumes) run('docker', ['volume', 'rm', '-f', ...volumes.split('\n')], { allowFailure: true });
  rmSync(dir, { recursive: true, force: true });
}
