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

/**
 * Wall time of a command on the host, its output thrown away, without blocking this process. It
 * runs in a session of its own, as the relay does (`up` detaches it): where the Engine was started
 * from the shell that runs this bench, a child in that session shares the Engine's scheduling
 * group (Linux's autogroup) and gets 10-15% more throughput than a docker CLI in a terminal gets
 * from an Engine that runs as a service.
 */
function timed(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
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

  // Either side's transfer time varies by half from one transfer to the next on a shared 2-core
  // machine, and the machine's speed drifts over a minute: fifteen transfers each, alternating and
  // taking turns at going first, so that neither side keeps the other's slow spells.
  const catRounds = Math.max(3, Math.round((rounds * 3) / 4));
  const bridgedCat = [];
  const directCat = [];
  const bridgedTransfer = () => bridgedCat.push(...bridgedTimes(agent, 'sidecar-cat /big >/dev/null', 1));
  const directTransfer = async () => directCat.push(await timed('docker', ['exec', sidecar, 'cat', '/big']));
  for (let i = 0; i < catRounds; i++) {
    if (i % 2) await directTransfer();
    bridgedTransfer();
    if (!(i % 2)) await directTransfer();
  }
  const [bt, dt] = [bigMb / (median(bridgedCat) / 1000), bigMb / (median(directCat) / 1000)];
  report(`bridge: output throughput (${bigMb} MB), bridged`, bt, 'MB/s');
  report(`bridge: output throughput (${bigMb} MB), direct`, dt, 'MB/s');
  report('bridge: throughput, bridged / direct', bt / dt, 'x', { text: '>= 0.9x', test: (v) => v >= 0.9 });
} finally {
  run('docker', ['rm', '-f', sidecar], { allowFailure: true });
  removeBenchProject(dir, env);
}
