// Figures for the firewall: applying the default list plus 5,000 CIDR ranges inside the gateway
// (against an empty list, same run), and `claude-tui allow add` end to end from the host (against
// a bare `docker exec` into the gateway, same run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const { dir, env } = benchProject('claude-tui-bench-fw-');
const cli = (...args) => run(process.execPath, [CLI, ...args], { env });
const allowlist = join(dir, '.claude', 'allowed-domains.txt');
mkdirSync(join(dir, '.claude'), { recursive: true });

/** Milliseconds `firewall reload` takes inside the gateway, timed there (no exec overhead). */
function reloadInside(gateway) {
  const out = run('docker', [
    'exec',
    gateway,
    'bash',
    '-c',
    's=$(date +%s%N); /usr/local/lib/claude-tui/firewall reload >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 ))',
  ]);
  return Number(out) / 1000;
}

try {
  writeFileSync(allowlist, '');
  cli('up', dir, '--yes');
  const gateway = JSON.parse(cli('status', dir, '--json')).gateway.name;

  const empty = [];
  for (let i = 0; i < rounds; i++) empty.push(reloadInside(gateway));

  const ranges = [];
  for (let i = 0; i < 5000; i++) ranges.push(`10.${Math.floor(i / 256) + 1}.${i % 256}.0/24`);
  writeFileSync(allowlist, ranges.join('\n') + '\n');
  cli('allow', 'apply', dir, '--yes');
  const large = [];
  for (let i = 0; i < rounds; i++) large.push(reloadInside(gateway));

  writeFileSync(allowlist, '');
  cli('allow', 'apply', dir, '--yes');
  const adds = [];
  const bare = [];
  for (let i = 0; i < rounds; i++) {
    bare.push(timeRun('docker', ['exec', gateway, 'true']));
    adds.push(timeRun(process.execPath, [CLI, 'allow', 'add', `bench-${i}.test`, '--project', dir], { env }));
  }

  console.log(`claude-tui bench: firewall (${rounds} rounds, medians)`);
  report('apply in the gateway: defaults only', median(empty), 'ms');
  report('apply in the gateway: defaults + 5,000 CIDRs', median(large), 'ms', {
    text: '< 500 ms',
    test: (v) => v < 500,
  });
  report('docker exec true into the gateway (baseline)', median(bare), 'ms');
  report('claude-tui allow add, end to end', median(adds), 'ms', { text: '< 500 ms', test: (v) => v < 500 });
} finally {
  removeBenchProject(dir, env);
}
