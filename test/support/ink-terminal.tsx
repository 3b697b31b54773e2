import { PassThrough, Writable } from 'node:stream';
import xterm from '@xterm/headless';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';

/** A stdin Ink accepts as a terminal: raw mode is a no-op, keys are written into it. */
class FakeStdin extends PassThrough {
  isTTY = true;
  isRaw = false;
  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** A stdout of a given size whose bytes go into a headless xterm. */
class FakeStdout extends Writable {
  isTTY = true;
  constructor(
    public columns: number,
    public rows: number,
    private readonly sink: (data: string) => void,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.sink(chunk.toString('utf8'));
    done();
  }
}

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  space: ' ',
} as const;

/**
 * An Ink element rendered into a headless terminal of a given size, the way a person's terminal
 * would show it: press keys, wait for a frame, read the screen back as text.
 */
export class InkTerminal {
  readonly term: xterm.Terminal;
  readonly stdin = new FakeStdin();
  readonly stdout: FakeStdout;
  readonly instance: Instance;
  private pending = Promise.resolve();

  constructor(element: ReactElement, size: { cols: number; rows: number }) {
    this.term = new xterm.Terminal({ ...size, allowProposedApi: true, convertEol: true });
    this.stdout = new FakeStdout(size.cols, size.rows, (data) => {
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
    });
    this.instance = render(element, {
      stdin: this.stdin as unknown as NodeJS.ReadStream,
      stdout: this.stdout as unknown as NodeJS.WriteStream,
      stderr: new PassThrough() as unknown as NodeJS.WriteStream,
      interactive: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
  }

  /** Types keys (text, or KEYS.*) one read at a time, as a terminal would send them. */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.stdin.write(key);
      // Ink waits briefly after a lone escape to tell it from the start of a sequence.
      await new Promise((resolve) => setTimeout(resolve, key === KEYS.escape ? 60 : 15));
    }
  }

  async type(text: string): Promise<void> {
    await this.press(...text);
  }

  resize(cols: number, rows: number): void {
    this.stdout.columns = cols;
    this.stdout.rows = rows;
    this.term.resize(cols, rows);
    this.stdout.emit('resize');
  }

  /** The visible screen, one line per row, trailing spaces trimmed. */
  screen(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < this.term.rows; i++) {
      lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    }
    return lines.join('\n');
  }

  async waitFor(text: string | RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pending;
      const screen = this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Waits until the screen has not changed for a moment: the frame is complete. */
  async settle(quietMs = 80): Promise<string> {
    let last = '';
    let stableSince = Date.now();
    for (;;) {
      await this.pending;
      const screen = this.screen();
      if (screen !== last) {
        last = screen;
        stableSince = Date.now();
      } else if (Date.now() - stableSince >= quietMs) {
        return screen;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  unmount(): void {
    this.instance.unmount();
  }
}
