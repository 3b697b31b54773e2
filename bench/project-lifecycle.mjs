// Figures for issue 2: `up` from nothing (image cached), `up` when already up, and
// `claude-tui exec -- true` against a raw `docker exec true` in the same run.
import { rmSync } from 'node:fs';
import { benchProject, CLI, median, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const { dir, env } = benchProject('claude-tui-bench-');
const cli = (...args) => [CLI, ...args];

function names() {
  const status = JSON.parse(run(process.execPath, cli('status', dir, '--json'), { env }));
  return { agent: status.agent?.name, home: status.volumes[0] };
}

try {
  run(process.execPath, cli('build', dir), { env, stdio: ['ignore', 'pipe', 'inherit'] });
  // Warm the compile cache and the engine once; the figures are for a person's everyday use.
  run(process.execPath, cli('up', dir), { env });
  const { home } = names();

  const cold = [];
  for (let i = 0; i < rounds; i++) {
    run(process.execPath, cli('down', dir), { env });
    run('docker', ['volume', 'rm', home]);
    cold.push(timeRun(process.execPath, cli('up', dir), { env }));
  }
  const warm = [];
  for (let i = 0; i < rounds * 2; i++) warm.push(timeRun(process.execPath, cli('up', dir), { env }));

  const { agent } = names();
  const ours = [];
  const raw = [];
  const nodeStart = [];
  for (let i = 0; i < rounds * 2; i++) {
    raw.push(timeRun('docker', ['exec', '-u', 'claude', '-w', '/workspace', agent, 'true']));
    ours.push(timeRun(process.execPath, cli('exec', dir, '--', 'true'), { env }));
    nodeStart.push(timeRun(process.execPath, ['-e', '0']));
  }

  console.log(`claude-tui bench: project lifecycle (${rounds} rounds, medians)`);
  report('up, image cached, no containers or volume', median(cold), 'ms', {
    text: '< 1500 ms',
    test: (v) => v < 1500,
  });
  report('up when already up', median(warm), 'ms', { text: '< 300 ms', test: (v) => v < 300 });
  report('docker exec true (baseline)', median(raw), 'ms');
  report('node -e 0 (Node start alone, for scale)', median(nodeStart), 'ms');
  report('claude-tui exec -- true', median(ours), 'ms');
  report('exec ratio (claude-tui / docker)', median(ours) / median(raw), 'x', {
    text: '<= 1.5x',
    test: (v) => v <= 1.5,
  });
} finally {
  run(process.execPath, cli('down', dir), { env, allowFailure: true });
  const status = JSON.parse(
    run(process.execPath, cli('status', dir, '--json'), { env, allowFailure: true }) || '{}',
  );
  for (const volume of status.volumes ?? []) run('docker', ['volume', 'rm', volume], { allowFailure: true });
  rmSync(dir, { recursive: true, force: true });
}
