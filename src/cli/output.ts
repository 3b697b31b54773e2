import { visibleText } from '../system/visible-text.js';
import type { BuildProgress } from '../image/ensure-image.js';

/**
 * Where command output goes: data and results on stdout, progress and notes on stderr, so that
 * `--json` output stays clean for scripts.
 */
export interface Output {
  line(text?: string): void;
  /** Columns padded to their widest cell; the last column is not padded. */
  table(header: string[], rows: string[][]): void;
  json(data: unknown): void;
  note(text: string): void;
  /** Build progress: steps as lines; other output as one overwritten line on a terminal. */
  progress: BuildProgress & { note(text: string): void; end(): void };
  color: boolean;
}

export function createOutput(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Output {
  const color = Boolean(stderr.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  const dim = (text: string) => (color ? `\x1b[2m${text}\x1b[22m` : text);
  let transient = false;
  const clearTransient = () => {
    if (transient) stderr.write('\r\x1b[K');
    transient = false;
  };
  const note = (text: string) => {
    clearTransient();
    stderr.write(`${visibleText(text)}\n`);
  };
  return {
    color,
    line: (text = '') => stdout.write(`${text}\n`),
    table: (header, rows) => stdout.write(formatTable(header, rows)),
    json: (data) => stdout.write(`${JSON.stringify(data, null, 2)}\n`),
    note,
    progress: {
      note,
      step: (text) => note(dim(text)),
      output: (text) => {
        if (!stderr.isTTY) return;
        const width = Math.max(20, (stderr.columns || 80) - 4);
        stderr.write(`\r\x1b[K${dim(`  ${text.replace(/\s+/g, ' ').slice(0, width)}`)}`);
        transient = true;
      },
      end: clearTransient,
    },
  };
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map((cells) => `${format(cells)}\n`).join('');
}
