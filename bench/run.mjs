// `claude-tui run -- -p …` against `claude-tui exec -- <the same agent command>` on the same project
// in the same run: what a session costs over running the agent directly (its start behind the
// firewall check, the wait for its end, the transcript read and rendered). Two answers: one at once,
// and one that takes a second, as any answer of a real model does (the wait then starts while the
// agent works).
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const { dir, env } = benchProject('claude-tui-bench-run-', { notifications: { desktop: false } });
const fakeAgent = fileURLToPath(new URL('../test/fixtures/fake-agent', import.meta.url));
const agent = '/opt/fake-agent/fake-agent';
mkdirSync(join(dir, '.claude'));
writeFileSync(
  join(dir, '.claude', 'claude-tui.yaml'),
  `agent:\n  command: ${agent}\nmounts:\n  - { source: ${fakeAgent}, target: /opt/fake-agent }\n`,
);
chownSync(dir, 1234, 1234);
const ciEnv = { ...env, CI: 'true' };

/** Wall time of one command as CI runs it (no stdin), and a check that it answered as asked. */
function timed(args, expected) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    env: ciEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 || result.stdout !== expected) {
    throw new Error(
      `${args.join(' ')}: exit ${result.status}, stdout ${JSON.stringify(result.stdout)}: ${result.stderr}`,
    );
  }
  return ms;
}

/** Rounds in alternating order (ABBA…) after a warm-up pair, so that drift weighs on both alike. */
function measure(prompt, expected) {
  const sides = {
    run: () => timed(['run', dir, '--', '-p', prompt], expected),
    exec: () => timed(['exec', dir, '--', agent, '-p', prompt], expected),
  };
  sides.exec();
  sides.run();
  const times = { run: [], exec: [] };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 ? ['run', 'exec'] : ['exec', 'run'];
    for (const side of order) times[side].push(sides[side]());
  }
  const overheads = times.run.map((ms, i) => ms - times.exec[i]);
  return { run: median(times.run), exec: median(times.exec), overhead: median(overheads) };
}

try {
  run(process.execPath, [CLI, 'up', dir, '--yes'], { env });
  const instant = measure('hello', 'answer: hello\n');
  const second = measure('sh sleep 1; echo hello', 'hello\n');
  // What one Engine exec costs here, for reading the overhead: `run` makes four (the firewall check
  // in the gateway, the session list, the start, the wait), `exec` one.
  const oneExec = median(Array.from({ length: rounds }, () => timed(['exec', dir, '--', 'true'], '')));
  const node = median(Array.from({ length: rounds }, () => timeRun(process.execPath, ['-e', '0'])));
  console.log(`claude-tui bench: run (${rounds} rounds each, medians; the fake agent's one-shot mode)`);
  const target = { text: '< 150 ms', test: (v) => v < 150 };
  report('exec -- agent -p (answer at once)', instant.exec, 'ms');
  report('run -- -p (answer at once)', instant.run, 'ms');
  report('run overhead over exec (answer at once)', instant.overhead, 'ms', target);
  report('exec -- agent -p (answer after 1 s)', second.exec, 'ms');
  report('run -- -p (answer after 1 s)', second.run, 'ms');
  report('run overhead over exec (answer after 1 s)', second.overhead, 'ms', target);
  report('baseline: exec -- true', oneExec, 'ms');
  report('baseline: node -e 0', node, 'ms');
} finally {
  removeBenchProject(dir, env);
}
