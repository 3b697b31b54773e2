// Small helpers shared by the bench scripts: timing child processes and printing medians.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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

/** One line per figure: name, median, target, and whether the target was met. */
export function report(name, value, unit, target) {
  const shown =
    unit === 'ms'
      ? `${value.toFixed(0)} ms`
      : unit === 'x'
        ? `${value.toFixed(2)}x`
        : `${value.toFixed(1)} ${unit}`;
  const verdict = target ? (target.test(value) ? 'meets' : 'MISSES') + ` target ${target.text}` : '';
  console.log(`${name.padEnd(48)} ${shown.padStart(10)}  ${verdict}`);
}
