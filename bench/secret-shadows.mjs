// Figures for issue 13, secret files shadowed: the walk of a 20,000-file project at `up` (and of one
// with 20,000 more in node_modules, which is not searched), `up` when already up and `status` on it
// against an empty project in the same run, and the check the agent container runs on every start
// (timed inside the container), also once 20,000 files in node_modules are there (searched by
// inode, nothing skipped), and the whole-tree inode search `up` makes when a shadowed secret moved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);

/** 20,000 files in 1,000 folders three deep, ten of them secret; optionally a node_modules as big. */
function fillTree(dir, { nodeModules = false } = {}) {
  for (let a = 0; a < 10; a++) {
    for (let b = 0; b < 10; b++) {
      for (let c = 0; c < 10; c++) {
        const folder = join(dir, `src${a}`, `mod${b}`, `part${c}`);
        mkdirSync(folder, { recursive: true });
        for (let f = 0; f < 20; f++) writeFileSync(join(folder, `file${f}.ts`), 'export {};\n');
        if (b === 0 && c === 0) writeFileSync(join(folder, '.env'), 'SECRET=1\n');
        if (nodeModules) {
          const deps = join(dir, 'node_modules', `pkg${a}${b}${c}`);
          mkdirSync(deps, { recursive: true });
          for (let f = 0; f < 20; f++) writeFileSync(join(deps, `index${f}.js`), '\n');
        }
      }
    }
  }
}

/** The walk itself, bundled from the source so it is timed without the CLI around it. */
async function loadScan() {
  const out = mkdtempSync(join(tmpdir(), 'claude-tui-bench-scan-'));
  const file = join(out, 'scan.mjs');
  await build({
    stdin: {
      contents: `export { scanForSecrets } from './src/project/secret-scan.ts';
                 export { secretRules } from './src/project/secret-patterns.ts';
                 export { findInodes } from './src/project/secret-inodes.ts';`,
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'silent',
  });
  const module = await import(pathToFileURL(file).href);
  rmSync(out, { recursive: true, force: true });
  return module;
}

async function timeScan(scan, dir) {
  const { scanForSecrets, secretRules } = scan;
  const options = { rules: secretRules(), mountedPaths: [], workspace: '/workspace' };
  const times = [];
  let result;
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    result = await scanForSecrets(dir, options);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: median(times), result };
}

const big = benchProject('claude-tui-bench-secrets-');
const empty = benchProject('claude-tui-bench-secrets-empty-');
const withDeps = mkdtempSync(join(tmpdir(), 'claude-tui-bench-secrets-deps-'));
try {
  fillTree(big.dir);
  fillTree(withDeps, { nodeModules: true });
  const scan = await loadScan();
  const findAll = [];
  for (let i = 0; i < rounds; i++) findAll.push(timeRun('find', [big.dir, '-false']));
  const plain = await timeScan(scan, big.dir);
  const deps = await timeScan(scan, withDeps);

  const cli = (project, ...args) => [CLI, ...args, project.dir];
  for (const project of [big, empty]) run(process.execPath, cli(project, 'up'), { env: project.env });
  const upBig = [];
  const upEmpty = [];
  const statusBig = [];
  const statusEmpty = [];
  for (let i = 0; i < rounds; i++) {
    upEmpty.push(timeRun(process.execPath, cli(empty, 'up'), { env: empty.env }));
    upBig.push(timeRun(process.execPath, cli(big, 'up'), { env: big.env }));
    statusEmpty.push(timeRun(process.execPath, cli(empty, 'status'), { env: empty.env }));
    statusBig.push(timeRun(process.execPath, cli(big, 'status'), { env: big.env }));
  }
  const agent = JSON.parse(run(process.execPath, cli(big, 'status', '--json'), { env: big.env })).agent.name;
  // Timed inside the container, as the entrypoint runs it (the exec around it not counted).
  const timed =
    's=$(date +%s%N); /usr/local/lib/claude-tui/check-secret-shadows; echo $(( ($(date +%s%N) - s) / 1000 ))';
  const timeCheck = () => {
    const times = [];
    for (let i = 0; i < rounds; i++) {
      times.push(Number(run('docker', ['exec', '-u', 'root', agent, 'bash', '-c', timed])) / 1000);
    }
    return median(times);
  };
  const check = timeCheck();
  // The same project with a node_modules as big: nothing to shadow in it, so the container stays.
  fillTree(big.dir, { nodeModules: true });
  run(process.execPath, cli(big, 'up'), { env: big.env });
  const checkDeps = timeCheck();
  const search = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    await scan.findInodes(withDeps, new Set([1]));
    search.push(Number(process.hrtime.bigint() - started) / 1e6);
  }

  console.log(`claude-tui bench: secret shadowing (${rounds} rounds, medians)`);
  console.log(
    `  the walk found ${plain.result.shadows.length} secret files in ${plain.result.entries} entries`,
  );
  report('find over the same, nothing matched (baseline)', median(findAll), 'ms');
  report('walk of 20,000 files in 1,000 folders', plain.ms, 'ms', { text: '< 300 ms', test: (v) => v < 300 });
  report('the same with 20,000 more in node_modules', deps.ms, 'ms');
  report('up when already up, empty project (baseline)', median(upEmpty), 'ms');
  report('up when already up, 20,000 files', median(upBig), 'ms', { text: '< 300 ms', test: (v) => v < 300 });
  report('status, empty project (baseline)', median(statusEmpty), 'ms');
  report('status, 20,000 files', median(statusBig), 'ms');
  report('check at each agent start, 20,000 files', check, 'ms', {
    text: '< 300 ms',
    test: (v) => v < 300,
  });
  report('the same with 20,000 more in node_modules', checkDeps, 'ms', {
    text: '< 300 ms',
    test: (v) => v < 300,
  });
  report('inode search at up over all 40,000 (only when a secret moved)', median(search), 'ms');
} finally {
  removeBenchProject(big.dir, big.env);
  removeBenchProject(empty.dir, empty.env);
  rmSync(withDeps, { recursive: true, force: true });
}
