// Small helpers shared by the bench scripts: timing child processes and printing medians.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import * as pty from 'node-pty';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs a command to completion and returns its wall time in milliseconds. */
export function timeRun(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    ...options,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return ms;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return result.stdout.trim();
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One line per figure: name, median, target, and whether the target was met. Milliseconds keep
 * two decimals below 10 ms: a keystroke echo is a millisecond or two, and a whole-number figure
 * would hide (or invent) a difference of half of it.
 */
export function report(name, value, unit, target) {
  const shown =
    unit === 'ms'
      ? `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ms`
      : unit === 'x'
        ? `${value.toFixed(2)}x`
        : `${value.toFixed(1)} ${unit}`;
  const verdict = target ? (target.test(value) ? 'meets' : 'MISSES') + ` target ${target.text}` : '';
  console.log(`${name.padEnd(48)} ${shown.padStart(10)}  ${verdict}`);
}

/**
 * A project folder for a bench, with its own claude-tui config and state: no GitHub ranges
 * fetched and no self-check target outside this machine, so the figures involve no network.
 */
export function benchProject(prefix, settings = {}) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const config = join(dir, '.config-home');
  mkdirSync(config, { recursive: true });
  writeFileSync(
    join(config, 'config.json'),
    JSON.stringify({ githubMeta: false, selfCheck: { blocked: [], allowed: [] }, ...settings }),
  );
  const env = {
    ...process.env,
    CLAUDE_TUI_CONFIG_DIR: config,
    XDG_STATE_HOME: join(dir, '.state'),
    NO_COLOR: '1',
  };
  return { dir, env };
}

/** Takes a bench project down and removes all it left: its volumes (found by label) and folder. */
export function removeBenchProject(dir, env) {
  run(process.execPath, [CLI, 'down', dir], { env, allowFailure: true });
  const volumes = run('docker', ['volume', 'ls', '-q', '--filter', `label=dev.claude-tui.project=${dir}`], {
    allowFailure: true,
  });
  for (const volume of volumes.split('\n').filter(Boolean)) {
    run('docker', ['volume', 'rm', volume], { allowFailure: true });
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A command in a pty of its own, its output read as it arrives: when the first byte came, and a
 * wait for a text to appear after a point. How attach is timed (sessions.mjs, remote-attach.mjs).
 */
export function ptySession(file, args, env, size = { cols: 120, rows: 40 }) {
  const started = performance.now();
  const p = pty.spawn(file, args, { ...size, name: 'xterm-256color', env, encoding: null });
  // latin1: one character per byte, no decoding state carried between reads.
  let output = '';
  let firstByte;
  const waiters = [];
  p.onData((d) => {
    const now = performance.now();
    firstByte ??= now - started;
    output += d.toString('latin1');
    for (const w of [...waiters]) {
      if (output.includes(w.text, w.from)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(now);
      } else {
        // Look only at new bytes next time: rescanning all 4 MB on every read would make the
        // bench itself the bottleneck, and more so for whichever side delivers smaller reads.
        w.from = Math.max(w.from, output.length - w.text.length + 1);
      }
    }
  });
  const exit = new Promise((resolve) => p.onExit(() => resolve(performance.now())));
  const waitFor = (text, from = output.length) =>
    new Promise((resolve) => {
      if (output.includes(text, from)) resolve(performance.now());
      else waiters.push({ text, from, resolve });
    });
  return {
    p,
    exit,
    waitFor,
    startedAt: started,
    firstByte: () => firstByte,
    get length() {
      return output.length;
    },
  };
}

/**
 * A headless xterm fed by `write`: its screen as text once all that was written is drawn, and
 * `waitFor(test)`, which resolves with the time (performance.now()) at which `test(screen)` first
 * held, looking every `pollMs`.
 */
export function xtermScreen(term, { label, timeoutMs, pollMs }) {
  let pending = Promise.resolve();
  const write = (data) => {
    pending = pending.then(() => new Promise((resolve) => term.write(data, resolve)));
  };
  const screen = () => {
    const buffer = term.buffer.active;
    const lines = [];
    for (let i = 0; i < term.rows; i++)
      lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true));
    return lines.join('\n');
  };
  const waitFor = async (test) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await pending;
      if (test(screen())) return performance.now();
      if (performance.now() > deadline) throw new Error(`${label}: timed out; screen:\n${screen()}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
  return { write, screen, waitFor };
}

/**
 * The dashboard in a pty of 120x40, started in `cwd`, its screen read back through a headless
 * xterm. BENCH_CLI: another build's dashboard (a baseline in the same run).
 */
export function dashboardInPty(env, cwd) {
  const term = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
  const started = performance.now();
  const p = pty.spawn(process.execPath, [process.env.BENCH_CLI ?? CLI], {
    cols: 120,
    rows: 40,
    name: 'xterm-256color',
    env,
    cwd,
  });
  const { write, screen, waitFor } = xtermScreen(term, { label: 'dashboard', timeoutMs: 30_000, pollMs: 2 });
  p.onData(write);
  const exited = new Promise((resolve) => p.onExit(resolve));
  return { p, started, screen, waitFor, exited };
}
