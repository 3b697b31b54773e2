import xterm, { type IBufferNamespace, type IMarker } from '@xterm/headless';

/** From this byte of the transcript on, the pane had this size (tmux resized it there). */
export interface PaneSizeFrom {
  offset: number;
  cols: number;
  rows: number;
}

/** Unread lines in xterm's scrollback that make it worth copying them out. */
const COPY_EVERY = 1000;
/**
 * xterm's own scrollback: room for COPY_EVERY lines plus what one resize's reflow pushes out at
 * once. Past it xterm drops its oldest lines, which bounds its memory on any transcript.
 */
const SCROLLBACK = 3 * COPY_EVERY;
/** xterm drops pending input past 50 MB: feed it a slice at a time. */
const SLICE = 1 << 20;
const ALTERNATE_SCREEN_MODES = new Set([47, 1047, 1049]);

export interface RenderOptions {
  /**
   * A line the pane wrapped comes out as the one line the program printed, not one line a row:
   * for output read by programs (`claude-tui run`), where a long JSON line must stay whole.
   */
  joinWrapped?: boolean;
}

/**
 * A session's transcript (what tmux's pipe-pane recorded) as the text a person saw: the bytes are
 * played on a headless xterm at the pane's size, so redraws, `\r` progress lines and erased lines
 * come out as they ended, not as every frame on the way. Returns the history and the last screen,
 * one row a line (or one printed line, with `joinWrapped`), trailing blanks trimmed, no control
 * sequences.
 */
export async function renderTranscript(
  bytes: Uint8Array,
  sizes: readonly PaneSizeFrom[],
  options: RenderOptions = {},
): Promise<string> {
  const [first = { offset: 0, cols: 80, rows: 24 }, ...resizes] = sizes;
  const terminal = new LogTerminal(first.cols, first.rows, options.joinWrapped ?? false);
  try {
    let written = 0;
    for (const { offset, cols, rows } of [...resizes, { offset: bytes.length }]) {
      const end = Math.min(Math.max(offset, written), bytes.length);
      await terminal.write(bytes.subarray(written, end));
      written = end;
      if (cols && rows) terminal.resize(cols, rows);
    }
    return terminal.text();
  } finally {
    terminal.dispose();
  }
}

/**
 * A headless xterm that keeps every line leaving its scrollback, and keeps what a terminal would
 * throw away where a log needs it: the alternate screen is never switched to (a full-screen
 * program draws on the normal screen and its last frame stays), and a cleared screen goes to the
 * history first. Clearing the history (`ESC [3J`, from `clear`, and from older Ink on each full
 * redraw) is honoured, or every full redraw of a long conversation would be printed again.
 */
class LogTerminal {
  private readonly term: xterm.Terminal;
  /**
   * Lines copied out of xterm's scrollback, oldest first, each copy's lines joined into one
   * string: a long log keeps a few hundred strings rather than a few hundred thousand.
   */
  private readonly copied: string[] = [];
  /** The last line copied: xterm moves it as lines are dropped or reflowed, and drops it with them. */
  private lastCopied: IMarker | undefined;
  private onAlternateScreen = false;

  constructor(
    cols: number,
    rows: number,
    private readonly joinWrapped: boolean,
  ) {
    this.term = new xterm.Terminal({
      cols,
      rows,
      scrollback: SCROLLBACK,
      scrollOnEraseInDisplay: true,
      allowProposedApi: true,
    });
    this.buffers = this.term.buffer;
    this.term.onScroll(() => {
      if (this.buffer.baseY - this.firstUncopied() >= COPY_EVERY) this.copyScrollback();
    });
    for (const final of ['h', 'l']) {
      this.term.parser.registerCsiHandler({ prefix: '?', final }, (params) => {
        // A switch set together with other modes in one sequence is left to xterm (rare).
        if (!params.every((p) => typeof p === 'number' && ALTERNATE_SCREEN_MODES.has(p))) return false;
        this.onAlternateScreen = final === 'h';
        return true;
      });
    }
    this.term.parser.registerCsiHandler({ final: 'J' }, (params) => {
      if (params[0] !== 3) return false;
      // Cleared on the alternate screen, the history would stay in a terminal.
      if (this.onAlternateScreen) return true;
      this.copied.length = 0;
      this.forgetLastCopied();
      return false;
    });
    // A full reset (ESC c) empties xterm; a terminal's history would keep the screen.
    this.term.parser.registerEscHandler({ final: 'c' }, () => {
      this.copyScrollback();
      const [start, end] = this.screenRows();
      if (end > start) this.keep(this.rowsText(start, end), start);
      this.forgetLastCopied();
      this.onAlternateScreen = false;
      return false;
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    for (let start = 0; start < bytes.length; start += SLICE) {
      const slice = bytes.subarray(start, start + SLICE);
      await new Promise<void>((resolve) => this.term.write(slice, resolve));
    }
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
  }

  /** Everything written: the history, then the screen, with no blank lines at the end. */
  text(): string {
    this.copyScrollback();
    const [start, end] = this.screenRows();
    if (end > start) this.keep(this.rowsText(start, end), start);
    const text = this.copied.join('\n').replace(/\n+$/, '');
    return text ? `${text}\n` : '';
  }

  dispose(): void {
    this.term.dispose();
  }

  /** Asked for on every scroll: `term.buffer` checks options on each call, its `normal` does not. */
  private readonly buffers: IBufferNamespace;

  private get buffer() {
    return this.buffers.normal;
  }

  /**
   * One row's text, trailing blanks trimmed; a row whose line goes on in the next (joinWrapped)
   * keeps them, as they are part of the line, unless a wide character that did not fit left its
   * last cell empty.
   */
  private rowText(y: number): string {
    const line = this.buffer.getLine(y);
    if (!line) return '';
    if (!this.continues(y)) return line.translateToString(true).trimEnd();
    const text = line.translateToString(false);
    return line.getCell(line.length - 1)?.getChars() === '' ? text.slice(0, -1) : text;
  }

  /**
   * Whether row y's line goes on in the next row (only with joinWrapped). Rows past the end are
   * not asked for: a full buffer answers for them with rows from its start.
   */
  private continues(y: number): boolean {
    const next = y + 1;
    return this.joinWrapped && next < this.buffer.length && Boolean(this.buffer.getLine(next)?.isWrapped);
  }

  /** Rows [start, end) as text: a row a line, or a wrapped line's rows joined into one. */
  private rowsText(start: number, end: number): string {
    let text = '';
    for (let y = start; y < end; y++)
      text += (y > start && !this.continues(y - 1) ? '\n' : '') + this.rowText(y);
    return text;
  }

  /** Keeps text copied out of xterm; rows that go on the last kept line join it. */
  private keep(text: string, firstRow: number): void {
    if (this.copied.length && this.continues(firstRow - 1)) this.copied[this.copied.length - 1] += text;
    else this.copied.push(text);
  }

  private firstUncopied(): number {
    return this.lastCopied && !this.lastCopied.isDisposed ? this.lastCopied.line + 1 : 0;
  }

  private copyScrollback(): void {
    const end = this.buffer.baseY;
    const start = this.firstUncopied();
    if (start >= end) return;
    this.keep(this.rowsText(start, end), start);
    this.forgetLastCopied();
    this.lastCopied = this.term.registerMarker(end - 1 - (this.buffer.baseY + this.buffer.cursorY));
  }

  private forgetLastCopied(): void {
    this.lastCopied?.dispose();
    this.lastCopied = undefined;
  }

  /**
   * The screen's rows [start, end), less any already copied (a taller pane pulls history back onto
   * it), and less the blank rows at its end.
   */
  private screenRows(): [number, number] {
    const start = Math.max(this.firstUncopied(), this.buffer.baseY);
    let end = this.buffer.length;
    while (end > start && this.rowText(end - 1) === '') end--;
    return [start, end];
  }
}
