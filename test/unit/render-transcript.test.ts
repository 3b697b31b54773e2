import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderTranscript, type PaneSizeFrom } from '../../src/session/render-transcript.js';
import { parsePaneSizes, sizesAfter } from '../../src/session/transcript.js';

const at = (cols: number, rows: number): PaneSizeFrom[] => [{ offset: 0, cols, rows }];
const render = (text: string, sizes = at(40, 10)) => renderTranscript(Buffer.from(text), sizes);
/** Bytes tmux's pipe-pane recorded from real programs (see each test). */
const captured = (name: string) => readFileSync(new URL(`../fixtures/transcripts/${name}`, import.meta.url));

describe('rendering a transcript', () => {
  it('drops colours and other attributes, keeping the text', async () => {
    expect(await render('\x1b[1;31merror:\x1b[0m \x1b[38;5;208mdisk\x1b[39m full\r\n')).toBe(
      'error: disk full\n',
    );
  });

  it('keeps only the last state of a \\r progress line', async () => {
    expect(await render('get 10%\rget 55%\rget 100%\r\ndone\r\n')).toBe('get 100%\ndone\n');
  });

  it('applies an erased and rewritten line, shorter than before', async () => {
    expect(await render('a long first attempt\r\x1b[2Kshort\r\nnext\r\n')).toBe('short\nnext\n');
  });

  it('plays cursor-up redraws (as Ink does) so only the last frame is left', async () => {
    const frame = (n: number) => `status ${n}\r\nline two ${n}\r\n`;
    const redraw = '\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[G';
    expect(await render(`kept\r\n${frame(1)}${redraw}${frame(2)}${redraw}${frame(3)}`)).toBe(
      'kept\nstatus 3\nline two 3\n',
    );
  });

  it('renders a real Ink app: static lines kept, the live box only in its last frame', async () => {
    // An Ink 8 app at 40x12: three <Static> lines appear one by one under a redrawn bordered box.
    const text = await renderTranscript(captured('ink-at-40x12.raw'), at(40, 12));
    expect(text.split('\n').slice(0, 5)).toEqual([
      '✓ done: task 1',
      '✓ done: task 2',
      '✓ done: task 3',
      `╭${'─'.repeat(38)}╮`,
      `│all done${' '.repeat(30)}│`,
    ]);
    expect(text).not.toContain('working');
    expect(text).not.toContain('\x1b');
  });

  it('renders real Claude Code output: its spinner redrawn in place is gone, its messages stay', async () => {
    // Claude Code 2.1 in a session at 120x40 with no network: a spinner, then the error it shows.
    const text = await renderTranscript(captured('claude-code-offline-at-120x40.raw'), at(120, 40));
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Welcome to Claude Code v2.1.330',
      '',
      ' Unable to connect to Anthropic services',
      '',
      ' Failed to connect to api.anthropic.com: EAI_AGAIN',
    ]);
    expect(text).not.toContain('Checking connectivity');
    expect(text).not.toContain('\x1b');
  });

  it('keeps what a full-screen program drew on the alternate screen, and what came before and after', async () => {
    // bash, then less at 40x10 (one page, a space for the next, q), then bash again.
    const text = await renderTranscript(captured('less-at-40x10.raw'), at(40, 10));
    const lines = text.split('\n');
    expect(lines).toContain('before-less');
    expect(lines).toContain('less line 1');
    expect(lines).toContain('less line 18');
    expect(lines).toContain('$ echo after-less');
    expect(lines.indexOf('less line 18')).toBeLessThan(lines.indexOf('after-less'));
    expect(lines.indexOf('before-less')).toBeLessThan(lines.indexOf('less line 1'));
  });

  it('pushes a cleared screen into the history, and clears the history when told to', async () => {
    expect(await render('one\r\ntwo\r\n\x1b[H\x1b[2Jthree\r\n')).toBe('one\ntwo\nthree\n');
    // What `clear` sends: home, clear the screen, clear the history.
    expect(await render('frame one\r\n\x1b[H\x1b[2J\x1b[3Jframe two\r\n')).toBe('frame two\n');
  });

  it('does not let a program on the alternate screen clear the history', async () => {
    expect(await render('before\r\n\x1b[?1049h\x1b[H\x1b[2J\x1b[3Jon alt\r\n\x1b[?1049l')).toBe(
      'before\non alt\n',
    );
  });

  it('lays out wide characters in two cells each', async () => {
    // 10 columns: five two-cell characters fill a row; the sixth wraps.
    expect(await render('日本語のテキ\r\n', at(10, 5))).toBe('日本語のテ\nキ\n');
    expect(await render('ab🙂cd\r\n', at(10, 5))).toBe('ab🙂cd\n');
  });

  it('wraps a line wider than the pane where the pane did', async () => {
    const long = 'x'.repeat(25);
    expect(await render(`${long}\r\n`, at(10, 5))).toBe('xxxxxxxxxx\nxxxxxxxxxx\nxxxxx\n');
    expect(await render(`${long}\r\n`, at(30, 5))).toBe(`${long}\n`);
  });

  it('changes size where the pane was resized', async () => {
    // Column 15 exists only once the pane is 20 wide; at 8 the cursor would stop at column 8.
    const before = 'narrow\r\n';
    const sizes = [
      { offset: 0, cols: 8, rows: 5 },
      { offset: before.length, cols: 20, rows: 5 },
    ];
    expect(await render(`${before}\x1b[15GX\r\n`, sizes)).toBe(`narrow\n${' '.repeat(14)}X\n`);
    expect(await render(`${before}\x1b[15GX\r\n`, at(8, 5))).toBe(`narrow\n${' '.repeat(7)}X\n`);
  });

  it('trims trailing spaces and blank lines, and gives nothing for nothing', async () => {
    expect(await render('text   \r\n\r\n\r\n   \r\n')).toBe('text\n');
    expect(await render('')).toBe('');
    expect(await render('\x1b[31m\x1b[0m')).toBe('');
  });

  it('keeps every line of a transcript far longer than its scrollback', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    const text = await render(lines.map((l) => `${l}\r\n`).join(''), at(40, 10));
    expect(text).toBe(`${lines.join('\n')}\n`);
  });

  it('forgets a long history cleared by the program, and keeps the screen over a full reset', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `old ${i}\r\n`).join('');
    expect(await render(`${many}\x1b[2J\x1b[3J\x1b[Hfresh\r\n`)).toBe('fresh\n');
    expect(await render('before reset\r\n\x1bcafter reset\r\n')).toBe('before reset\nafter reset\n');
  });

  it('keeps each line once when a resize pulls history back onto the screen', async () => {
    const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `n${from + i}`);
    const first = lines(0, 1500)
      .map((l) => `${l}\r\n`)
      .join('');
    const then = lines(1500, 3000)
      .map((l) => `${l}\r\n`)
      .join('');
    const sizes = [
      { offset: 0, cols: 40, rows: 10 },
      { offset: first.length, cols: 40, rows: 30 },
    ];
    expect(await render(first + then, sizes)).toBe(`${lines(0, 3000).join('\n')}\n`);
    // Resized just after the history was copied out: lines copied are back on the last screen.
    const copiedJustBefore = lines(0, 1009)
      .map((l) => `${l}\r\n`)
      .join('');
    const taller = [sizes[0]!, { offset: copiedJustBefore.length, cols: 40, rows: 30 }];
    expect(await render(`${copiedJustBefore}end\r\n`, taller)).toBe(`${lines(0, 1009).join('\n')}\nend\n`);
  });

  describe('with wrapped lines joined (run: output read by programs)', () => {
    const joined = (text: string, sizes = at(10, 5)) =>
      renderTranscript(Buffer.from(text), sizes, { joinWrapped: true });

    it('gives a line the pane wrapped as the one line printed, spaces at the wraps kept', async () => {
      const json = `{"answer": "${'word '.repeat(12)}"}`;
      expect(await joined(`${json}\r\nnext\r\n`)).toBe(`${json}\nnext\n`);
      // A line that exactly fills a row is not joined to the next one.
      expect(await joined('0123456789\r\nnext\r\n')).toBe('0123456789\nnext\n');
    });

    it('leaves out the empty cell a wide character that did not fit left at the end of a row', async () => {
      expect(await joined('abcdefghi日本\r\n')).toBe('abcdefghi日本\n');
    });

    it('joins a line wrapped across the history copied out and the screen, however long', async () => {
      const lines = Array.from({ length: 3000 }, (_, i) => `${i}:${'x'.repeat(i % 37)}`);
      const text = await joined(lines.map((l) => `${l}\r\n`).join(''), at(12, 5));
      expect(text).toBe(`${lines.join('\n')}\n`);
    });
  });

  it('copes with a UTF-8 character cut between two writes', async () => {
    // 1 MiB of ASCII, then a three-byte character straddling the slice boundary.
    const filler = 'a'.repeat((1 << 20) - 1);
    const text = await render(`\r${filler}€\r\n`, at(40, 10));
    expect(text.endsWith('a€\n')).toBe(true);
  });
});

describe('the pane sizes the session script records', () => {
  it('reads one size per line and skips what is torn or makes no sense', () => {
    expect(parsePaneSizes('0 120 40\n5310 100 30\n77 0 30\n9001 90\nnonsense\n12000 90 25')).toEqual([
      { offset: 0, cols: 120, rows: 40 },
      { offset: 5310, cols: 100, rows: 30 },
      { offset: 12000, cols: 90, rows: 25 },
    ]);
    expect(parsePaneSizes('')).toEqual([]);
  });

  it('keeps a forged size to what a terminal can be, and reads only so many', () => {
    expect(parsePaneSizes('0 1000000000 999999999')).toEqual([{ offset: 0, cols: 1000, rows: 500 }]);
    expect(parsePaneSizes('0 80 24\n'.repeat(50_000))).toHaveLength(10_000);
  });

  it('starts a transcript read from its end with the size in force there', () => {
    const sizes = [
      { offset: 0, cols: 120, rows: 40 },
      { offset: 500, cols: 100, rows: 30 },
      { offset: 2000, cols: 90, rows: 25 },
    ];
    expect(sizesAfter(sizes, 0)).toEqual(sizes);
    expect(sizesAfter(sizes, 1000)).toEqual([
      { offset: 0, cols: 100, rows: 30 },
      { offset: 1000, cols: 90, rows: 25 },
    ]);
    expect(sizesAfter([{ offset: 3000, cols: 90, rows: 25 }], 1000)).toEqual([
      { offset: 2000, cols: 90, rows: 25 },
    ]);
  });
});
