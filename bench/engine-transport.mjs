// What the Engine transport on node:http costs at start-up, against the hand-written HTTP over
// node:net it replaced: the import time of the modules each loads, in fresh processes, and the wall
// time of `claude-tui ls` and `status` on a project that is up, each run interleaved with the same
// command of the old build. The old build is made from BASELINE_COMMIT (the last commit before the
// transport) with git archive; where it cannot be made, the run recorded below stands in.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const BASELINE_COMMIT = process.env.BASELINE_COMMIT ?? '31d81e3';
const repo = fileURLToPath(new URL('..', import.meta.url));

/** Measured on the project's machine (2 cores, Node 24) on 2026-12-01, 15 rounds, medians. */
const RECORDED_BASELINE = { ls: 183, status: 236 };

/**
 * Milliseconds loading modules takes in a fresh Node, measured inside it: with require, as the
 * transport loads node:http and node:tls, or with an ES import, which costs far more for node:http.
 */
function importTime(modules, how = 'require') {
  const load = how === 'require' ? 'require(m)' : 'await import(m)';
  const script = `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); const t = performance.now(); for (const m of ${JSON.stringify(modules)}) ${load}; console.log(performance.now() - t);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return Number(result.stdout.trim());
}

function buildBaseline() {
  const dir = mkdtempSync(join(tmpdir(), 'claude-tui-bench-baseline-'));
  const archive = spawnSync('sh', [
    '-c',
    `git -C "$1" archive "$2" | tar -x -C "$3"`,
    'sh',
    repo,
    BASELINE_COMMIT,
    dir,
  ]);
  if (archive.status !== 0) return { dir };
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
  const cli = join(dir, 'dist', 'cli.js');
  return { dir, cli: build.status === 0 && existsSync(cli) ? cli : undefined };
}

const modules = { net: [], http: [], tls: [], esImport: [] };
for (let i = 0; i < rounds * 2; i++) {
  modules.net.push(importTime(['node:net']));
  modules.http.push(importTime(['node:net', 'node:http']));
  modules.tls.push(importTime(['node:net', 'node:http', 'node:tls']));
  modules.esImport.push(importTime(['node:net', 'node:http'], 'import'));
}

const baseline = buildBaseline();
const { dir, env } = benchProject('claude-tui-bench-transport-');
try {
  run(process.execPath, [CLI, 'build', dir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  run(process.execPath, [CLI, 'up', dir], { env });
  const commands = { ls: ['ls', '--json'], status: ['status', dir, '--json'] };
  const times = { ls: { now: [], old: [] }, status: { now: [], old: [] } };
  // Warm the compile caches of both builds once; the figures are for everyday use.
  for (const cli of [CLI, baseline.cli].filter(Boolean)) timeRun(process.execPath, [cli, 'ls'], { env });
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of Object.entries(commands)) {
      times[name].now.push(timeRun(process.execPath, [CLI, ...args], { env }));
      if (baseline.cli) times[name].old.push(timeRun(process.execPath, [baseline.cli, ...args], { env }));
    }
  }

  console.log(`claude-tui bench: Engine transport (${rounds} rounds, medians)`);
  report('load node:net (the old transport)', median(modules.net), 'ms');
  report('load node:net + node:http (the new one)', median(modules.http), 'ms');
  report('node:http over node:net, with require', median(modules.http) - median(modules.net), 'ms', {
    text: '< 10 ms',
    test: (v) => v < 10,
  });
  report('node:http over node:net, as an ES import', median(modules.esImport) - median(modules.net), 'ms');
  report('node:tls on top (TLS endpoints only)', median(modules.tls) - median(modules.http), 'ms');
  const source = baseline.cli ? `old build, ${BASELINE_COMMIT}` : 'recorded run of the old build';
  for (const name of Object.keys(commands)) {
    const old = baseline.cli ? median(times[name].old) : RECORDED_BASELINE[name];
    report(`claude-tui ${name}, ${source}`, old, 'ms');
    report(`claude-tui ${name}, node:http transport`, median(times[name].now), 'ms');
    report(`${name} ratio (new / old)`, median(times[name].now) / old, 'x', {
      text: '<= 1.05x',
      test: (v) => v <= 1.05,
    });
  }
} finally {
  removeBenchProject(dir, env);
  rmSync(baseline.dir, { recursive: true, force: true });
}
