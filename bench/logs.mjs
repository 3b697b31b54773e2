// Figures for `claude-tui logs`: the rendered transcript against `logs --raw` (the same exec and
// transfer, no rendering) on transcripts of 1 MB and 20 MB, of two kinds: a coloured build log
// (many lines) and an Ink-style live display redrawn in place (few lines, many frames). Also the
// load time of the renderer's chunk (xterm inside), which only `logs` pays.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchProject, CLI, median, removeBenchProject, report, run, timeRun } from './lib.mjs';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const { dir, env } = benchProject('claude-tui-bench-logs-');
const cli = (...args) => run(process.execPath, [CLI, ...args], { env, maxBuffer: 1 << 30 });
const SESSION = '/usr/local/lib/claude-tui/session';

function buildLog(bytes) {
  const parts = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const line = `\x1b[32m✓\x1b[0m step ${i}: compiled \x1b[1msrc/module-${i % 977}.ts\x1b[0m in ${i % 400} ms\r\n`;
    parts.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(parts.join(''));
}

// What Ink sends for a four-line live box redrawn in place (erase the box and the line after it,
// draw again), with a finished line printed above it now and then.
function inkRedraws(bytes) {
  const erase = '\x1b[2K\x1b[1A'.repeat(4) + '\x1b[2K\x1b[G';
  const parts = [];
  for (let i = 0, size = 0; size < bytes; i++) {
    const done = i % 50 === 49 ? `\x1b[32m✓ finished task ${i}\x1b[39m\r\n` : '';
    const status = `${'⠋⠙⠹⠸⠼⠴⠦⠧'[i % 8]} Working… (${i} tokens)`.padEnd(118);
    const box = [
      `╭${'─'.repeat(118)}╮`,
      `│\x1b[36m${status}\x1b[39m│`,
      `│${'█'.repeat(i % 100).padEnd(118)}│`,
      `╰${'─'.repeat(118)}╯`,
    ].join('\r\n');
    const frame = `\x1b[?2026h${i ? erase : ''}${done}${box}\r\n\x1b[?2026l`;
    parts.push(frame);
    size += Buffer.byteLength(frame);
  }
  return Buffer.from(parts.join(''));
}

function rendererChunk() {
  const chunks = fileURLToPath(new URL('../dist/chunks/', import.meta.url));
  const name = readdirSync(chunks).find((f) => /^render-transcript-.*\.js$/.test(f));
  if (!name) throw new Error('no render-transcript chunk in dist/: run `npm run build`');
  return chunks + name;
}

function importMs(file) {
  const script = `const s = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - s));`;
  return Number(run(process.execPath, ['--input-type=module', '-e', script]));
}

/** Peak resident memory of one run in MB, from GNU time where there is one. */
function peakMb(args) {
  if (!existsSync('/usr/bin/time')) return undefined;
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI, ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`logs ${args.join(' ')} failed: ${result.stderr}`);
  return Number(result.stderr.trim().split('\n').at(-1)) / 1024;
}

try {
  cli('up', dir, '--yes');
  const agent = JSON.parse(cli('status', dir, '--json')).agent.name;
  const load = Array.from({ length: 10 }, () => importMs(rendererChunk()));
  console.log(`claude-tui bench: logs (${rounds} rounds, medians)`);
  report('renderer chunk load (xterm), only for logs', median(load), 'ms', {
    text: '< 100 ms',
    test: (v) => v < 100,
  });
  for (const [kind, make] of [
    ['build log', buildLog],
    ['Ink redraws', inkRedraws],
  ]) {
    for (const mb of [1, 20]) {
      const name = `b${mb}${kind[0]}`;
      run('docker', [
        'exec',
        '-u',
        'claude',
        agent,
        SESSION,
        'start',
        name,
        '120',
        '40',
        '--',
        'sleep',
        '1d',
      ]);
      const transcript = `/home/claude/.claude-tui/sessions/${name}/transcript`;
      run('docker', ['exec', '-i', '-u', 'claude', agent, 'sh', '-c', `cat > ${transcript}`], {
        input: make(mb * 1e6),
      });
      const args = ['logs', name, '--project', dir];
      const time = (extra) =>
        median(
          Array.from({ length: rounds }, () =>
            timeRun(process.execPath, [CLI, ...args, ...extra], { env, maxBuffer: 1 << 30 }),
          ),
        );
      const raw = time(['--raw']);
      const rendered = time([]);
      const target =
        mb === 1 ? { text: '< 1 s', test: (v) => v < 1000 } : { text: '< 5 s', test: (v) => v < 5000 };
      report(`logs --raw, ${mb} MB ${kind} (baseline)`, raw, 'ms');
      report(`logs, ${mb} MB ${kind}`, rendered, 'ms', target);
      const peak = peakMb(args);
      if (peak !== undefined)
        report(`logs, ${mb} MB ${kind}: peak memory`, peak, 'MB', { text: '< 400 MB', test: (v) => v < 400 });
      const peakRaw = peakMb([...args, '--raw']);
      if (peakRaw !== undefined) report(`logs --raw, ${mb} MB ${kind}: peak memory`, peakRaw, 'MB');
    }
  }
} finally {
  removeBenchProject(dir, env);
}
