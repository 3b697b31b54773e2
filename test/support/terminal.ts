import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import { CLI, testEnv } from './cli.js';

/**
 * The built binary in a real pseudo-terminal, with a headless xterm reading the screen back:
 * type keys, wait for text, look at what a person would see.
 */
export class TerminalHarness {
  readonly term: xterm.Terminal;
  readonly proc: pty.IPty;
  /** Every byte the program wrote, for checking escape sequences. */
  raw = '';
  exit: Promise<number>;

  constructor(
    args: string[],
    size = { cols: 100, rows: 30 },
    env: Record<string, string> = {},
    cwd?: string,
  ) {
    this.term = new xterm.Terminal({ ...size, allowProposedApi: true });
    this.proc = pty.spawn(process.execPath, [CLI, ...args], {
      ...size,
      ...(cwd ? { cwd } : {}),
      name: 'xterm-256color',
      env: { ...process.env, ...testEnv(), TERM: 'xterm-256color', ...env },
    });
    this.proc.onData((data) => {
      this.raw += data;
      this.term.write(data);
    });
    this.exit = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  write(data: string): void {
    this.proc.write(data);
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** The screen as text, one line per row (a wrapped row joined to the one before), trimmed. */
  screen(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      const text = line?.translateToString(true) ?? '';
      if (line?.isWrapped && lines.length) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join('\n');
  }

  /**
   * Whether `text` follows a `marker` drawn in inverse video (a focused selection). Panes stand side
   * by side, so a screen line can hold two lists' rows: the marker is the last one before the text.
   */
  showsInverse(marker: string, text: string | RegExp): boolean {
    const buffer = this.term.buffer.active;
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      const content = line?.translateToString(true) ?? '';
      const textAt = typeof text === 'string' ? content.indexOf(text) : content.search(text);
      const at = textAt < 0 ? -1 : content.lastIndexOf(marker, textAt);
      if (at < 0) continue;
      if (line?.getCell(at)?.isInverse()) return true;
    }
    return false;
  }

  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const matches = () =>
      typeof text === 'string' ? this.screen().includes(text) : text.test(this.screen());
    while (!matches()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${String(text)}; screen:\n${this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Waits for bytes in the raw output, e.g. the alternate-screen switch of an attached tmux. */
  async waitForRaw(text: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.raw.includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${JSON.stringify(text)} in the output`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async exitCode(timeoutMs = 15_000): Promise<number> {
    return Promise.race([
      this.exit,
      new Promise<number>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit; screen:\n${this.screen()}`)), timeoutMs),
      ),
    ]);
  }
}
