// Figure for issue 11: after the gateway restarts, `claude-tui up` to the agent's first successful
// request to an allowed host (target < 1 s). Side by side in the same run: the same request when
// nothing needed mending, and how long the agent took to rejoin on its own without `up`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, removeBenchProject, report, run } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const { dir, env } = benchProject('claude-tui-bench-rejoin-');
const cli = (...args) => run(process.execPath, [CLI, ...args], { env });
const net = `ctui-bench-rejoin-${process.pid}`;
const image = 'claude-tui-test-hosts:latest';
const hosts = [`${net}-web`, `${net}-dns`];

/** Milliseconds until a request succeeds, asking again at once after each failure; and the tries. */
function untilAnswered(started) {
  for (let tries = 1; ; tries++) {
    const result = run(
      process.execPath,
      [
        CLI,
        'exec',
        dir,
        '--',
        'curl',
        '-sf',
        '--max-time',
        '2',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        'http://allowed.bench/',
      ],
      { env, allowFailure: true },
    );
    if (result === '200') return { ms: Number(process.hrtime.bigint() - started) / 1e6, tries };
    if (tries > 200) throw new Error('the agent never reached the allowed host');
  }
}

try {
  run('docker', [
    'build',
    '-q',
    '-t',
    image,
    fileURLToPath(new URL('../test/fixtures/test-hosts', import.meta.url)),
  ]);
  run('docker', ['network', 'create', net]);
  run('docker', [
    'run',
    '-d',
    '--name',
    hosts[0],
    '--network',
    net,
    '--network-alias',
    'allowed.bench',
    '-e',
    'HOST_NAME=allowed',
    image,
    'serve-http',
  ]);
  run('docker', [
    'run',
    '-d',
    '--name',
    hosts[1],
    '--network',
    net,
    image,
    'dnsmasq',
    '-k',
    '--no-resolv',
    '--no-hosts',
    '--server=127.0.0.11',
  ]);
  const dnsIp = run('docker', [
    'inspect',
    '-f',
    `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`,
    hosts[1],
  ]);
  mkdirSync(join(dir, '.claude'), { recursive: true });
  writeFileSync(
    join(dir, '.claude', 'claude-tui.yaml'),
    `firewall:\n  defaults: false\n  dnsUpstream: ${dnsIp}\nnetworks: [${net}]\n`,
  );
  writeFileSync(join(dir, '.claude', 'allowed-domains.txt'), 'allowed.bench\n');
  cli('up', dir, '--yes');
  const gateway = JSON.parse(cli('status', dir, '--json')).gateway.name;
  untilAnswered(process.hrtime.bigint());

  const mended = [];
  const firstTry = [];
  const healthy = [];
  const onItsOwn = [];
  for (let i = 0; i < rounds; i++) {
    run('docker', ['restart', '-t', '1', gateway]);
    const started = process.hrtime.bigint();
    run(process.execPath, [CLI, 'up', dir], { env });
    const after = untilAnswered(started);
    mended.push(after.ms);
    firstTry.push(after.tries === 1 ? 1 : 0);

    const again = process.hrtime.bigint();
    run(process.execPath, [CLI, 'up', dir], { env });
    healthy.push(untilAnswered(again).ms);

    run('docker', ['restart', '-t', '1', gateway]);
    onItsOwn.push(untilAnswered(process.hrtime.bigint()).ms);
  }

  console.log(`claude-tui bench: rejoining the gateway after it restarts (${rounds} rounds, medians)`);
  report('up + first request answered, nothing to mend', median(healthy), 'ms');
  report('agent rejoins on its own, no up (before: up said "already up")', median(onItsOwn), 'ms');
  report('after a gateway restart: up + first request answered', median(mended), 'ms', {
    text: '< 1000 ms',
    test: (v) => v < 1000,
  });
  report(
    '  rounds answered on the first try after up',
    firstTry.reduce((a, b) => a + b, 0),
    'of ' + rounds,
  );
} finally {
  removeBenchProject(dir, env);
  run('docker', ['rm', '-f', ...hosts], { allowFailure: true });
  run('docker', ['network', 'rm', net], { allowFailure: true });
}
