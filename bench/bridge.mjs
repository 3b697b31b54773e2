// Figures for the command bridge, each against a direct `docker exec` of the same command into the
// same sidecar in the same run: a `true` round trip (the caller's start to its exit, perl client
// and relay included) and the output throughput of a large `cat`. The bridged side runs inside
// the agent container, as the agent calls it; the direct side is the docker CLI on the host.
import { spawn } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, CLI, median, removeBenchProject, report, run } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 20);
const bigMb = Number(process.env.BENCH_BRIDGE_MB ?? 128);
const project = benchProject('claude-tui-bench-bridge-');
const { dir, env } = project;
chownSync(dir, 1234, 1234);
const compose = `ctuibench${process.pid}`;
const sidecar = `${compose}_app_1`;
mkdirSync(join(dir, '.claude'));
writeFileSync(
  join(dir, '.claude', 'bridge.yaml'),
  `version: 1\ncompose_project: ${compose}\ncontainers: { app: app }\ndefault_container: app\n` +
    'commands:\n  sidecar-true: { exec: "true" }\n  sidecar-cat: { exec: cat }\n',
);

/** Wall time of a command on the host, its output thrown away, without blocking this process. */
function timed(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${args.join(' ')}: ${code}`)),
    );
  });
}

/** Times each run of a bridged command inside the agent container, in one exec. */
function bridgedTimes(agent, script, times) {
  const out = run('docker', [
    'exec',
    '-u',
    'claude',
    agent,
    'bash',
    '-c',
    `for i in $(seq ${times}); do s=$EPOCHREALTIME; ${script} || exit 9; e=$EPOCHREALTIME; echo "$s $e"; done`,
  ]);
  return out.split('\n').map((line) => {
    const [s, e] = line.split(' ').map(Number);
    return (e - s) * 1000;
  });
}

try {
  run('docker', ['rm', '-f', sidecar], { allowFailure: true });
  run('docker', [
    'run',
    '-d',
    '--name',
    sidecar,
    '--network',
    'none',
    '--init',
    '--label',
    `com.docker.compose.project=${compose}`,
    '--label',
    'com.docker.compose.service=app',
    'debian:bookworm-slim',
    'sleep',
    'infinity',
  ]);
  run('docker', ['exec', sidecar, 'sh', '-c', `head -c ${bigMb}M /dev/zero >/big`]);
  run(process.execPath, [CLI, 'up', dir, '--yes'], { env });
  const agent = run('docker', [
    'ps',
    '-q',
    '--filter',
    `label=dev.claude-tui.project=${dir}`,
    '--filter',
    'label=dev.claude-tui.role=agent',
  ]);
  for (
    let i = 0;
    i < 50 &&
    run('docker', ['exec', '-u', 'claude', agent, 'sh', '-c', 'command -v sidecar-true || true']) === '';
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // Warm both paths (image pages, the Engine's caches), then alternate blocks of each.
  bridgedTimes(agent, 'sidecar-true', 3);
  for (let i = 0; i < 3; i++) await timed('docker', ['exec', sidecar, 'true']);
  const bridged = [];
  const direct = [];
  for (let block = 0; block < 4; block++) {
    bridged.push(...bridgedTimes(agent, 'sidecar-true', rounds / 4));
    for (let i = 0; i < rounds / 4; i++) direct.push(await timed('docker', ['exec', sidecar, 'true']));
  }
  const [b, d] = [median(bridged), median(direct)];
  report('bridge: `true` round trip, bridged', b, 'ms');
  report('bridge: `true` round trip, direct docker exec', d, 'ms');
  report('bridge: round trip, bridged / direct', b / d, 'x', { text: '<= 1.3x', test: (v) => v <= 1.3 });

  // Either side's throughput varies by a third from one transfer to the next on a shared 2-core
  // machine: nine alternating transfers each, so that one slow transfer does not move the median.
  const catRounds = Math.max(3, Math.round((rounds * 9) / 20));
  const bridgedCat = [];
  const directCat = [];
  for (let i = 0; i < catRounds; i++) {
    bridgedCat.push(...bridgedTimes(agent, 'sidecar-cat /big >/dev/null', 1));
    directCat.push(await timed('docker', ['exec', sidecar, 'cat', '/big']));
  }
  const [bt, dt] = [bigMb / (median(bridgedCat) / 1000), bigMb / (median(directCat) / 1000)];
  report(`bridge: output throughput (${bigMb} MB), bridged`, bt, 'MB/s');
  report(`bridge: output throughput (${bigMb} MB), direct`, dt, 'MB/s');
  report('bridge: throughput, bridged / direct', bt / dt, 'x', { text: '>= 0.9x', test: (v) => v >= 0.9 });
} finally {
  run('docker', ['rm', '-f', sidecar], { allowFailure: true });
  removeBenchProject(dir, env);
}
