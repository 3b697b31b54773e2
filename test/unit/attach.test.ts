import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  attachTerminal,
  TMUX_DETACH_SEQUENCE,
  type AttachedCommand,
  type OpenTerminal,
} from '../../src/session/attach.js';
import { parseDetachKey } from '../../src/session/detach-key.js';
import { RESET_TERMINAL_MODES } from '../../src/session/terminal-modes.js';

/** A terminal of our own: stdin we type into, stdout we read, raw mode we can look at. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode(raw: boolean) {
      stdin.isRaw = raw;
      return stdin;
    },
  });
  let shown = '';
  const stdout = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        shown += chunk.toString('latin1');
        done();
      },
    }),
    { isTTY: true, columns: 100, rows: 30 },
  );
  return {
    terminal: {
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
    },
    stdin,
    stdout,
    shown: () => shown,
  };
}

/** The far end: records what reached it and when it was opened; ends when told. */
function fakeCommand(openDelayMs = 0) {
  const received: string[] = [];
  const resizes: { cols: number; rows: number }[] = [];
  let end: (code: number | null) => void = () => undefined;
  let output: (data: Buffer) => void = () => undefined;
  let closedByUs = false;
  const opened: { size?: { cols: number; rows: number } } = {};
  const open: OpenTerminal = async (size, onOutput) => {
    await new Promise((resolve) => setTimeout(resolve, openDelayMs));
    opened.size = size;
    output = onOutput;
    const ended = new Promise<number | null>((resolve) => (end = resolve));
    const link: AttachedCommand = {
      stdin: new Writable({
        write(data: Buffer, _encoding, done) {
          received.push(data.toString('latin1'));
          done();
        },
      }),
      resize: (next) => resizes.push(next),
      pause: () => undefined,
      resume: () => undefined,
      exit: ended,
      close: () => {
        closedByUs = true;
        end(null);
      },
    };
    return link;
  };
  return {
    open,
    opened,
    received,
    resizes,
    end: (code: number | null) => end(code),
    output: (text: string) => output(Buffer.from(text)),
    closedByUs: () => closedByUs,
  };
}

const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));
const key = parseDetachKey('ctrl+q');

describe('attaching a terminal to a command', () => {
  it('passes bytes both ways untouched and opens at the terminal size', async () => {
    const t = fakeTerminal();
    const command = fakeCommand();
    const attached = attachTerminal(command.open, t.terminal, key);
    await settle();
    expect(command.opened.size).toEqual({ cols: 100, rows: 30 });
    expect(t.stdin.isRaw).toBe(true);
    await settle(310); // past the window in which terminal replies are dropped
    t.stdin.write(Buffer.from('hi\x1b[A\xff', 'latin1'));
    command.output('screen \x1b[?1049h bytes');
    await settle();
    expect(command.received.join('')).toBe('hi\x1b[A\xff');
    expect(t.shown()).toContain('screen \x1b[?1049h bytes');
    command.end(0);
    expect(await attached).toEqual({ reason: 'ended', exitCode: 0 });
    expect(t.stdin.isRaw).toBe(false);
    expect(t.shown().endsWith(RESET_TERMINAL_MODES)).toBe(true);
  });

  it('keeps what is typed while the connection opens and sends it first, in order', async () => {
    const t = fakeTerminal();
    const command = fakeCommand(50);
    const attached = attachTerminal(command.open, t.terminal, key);
    t.stdin.write('early ');
    await settle();
    t.stdin.write('typing');
    await settle(80);
    t.stdin.write('!');
    await settle();
    expect(command.received.join('')).toBe('early typing!');
    command.end(0);
    await attached;
  });

  it('detaches on the key inside a read, after sending what came before it, and gives the terminal back at once', async () => {
    const t = fakeTerminal();
    const command = fakeCommand();
    const attached = attachTerminal(command.open, t.terminal, key);
    await settle();
    t.stdin.write('before\x1b[113;5uafter');
    const outcome = await attached;
    expect(outcome.reason).toBe('detached');
    expect(command.received.join('')).toBe('before' + TMUX_DETACH_SEQUENCE);
    expect(t.stdin.isRaw).toBe(false);
    command.output('late output');
    await settle();
    expect(t.shown()).not.toContain('late output');
    command.end(0);
    if (outcome.reason === 'detached') await outcome.closed;
    expect(command.closedByUs()).toBe(false);
  });

  it('detaches on the raw key byte when an earlier reader left stdin decoding to strings', async () => {
    const t = fakeTerminal();
    // The dashboard's Ink sets utf8 on stdin; the data events then carry strings, not bytes.
    t.stdin.setEncoding('utf8');
    const command = fakeCommand();
    const attached = attachTerminal(command.open, t.terminal, key);
    await settle();
    t.stdin.write('é typed\x11');
    const outcome = await attached;
    expect(outcome.reason).toBe('detached');
    expect(command.received.join('')).toBe(Buffer.from('é typed').toString('latin1') + TMUX_DETACH_SEQUENCE);
    command.end(0);
  });

  it('detaches even while the connection is still opening', async () => {
    const t = fakeTerminal();
    const command = fakeCommand(50);
    const attached = attachTerminal(command.open, t.terminal, key);
    t.stdin.write('\x11');
    const outcome = await attached;
    expect(outcome.reason).toBe('detached');
    await settle(80);
    expect(command.received.join('')).toBe(TMUX_DETACH_SEQUENCE);
    command.end(0);
  });

  it('drops terminal replies that arrive right after attach, keeps typing', async () => {
    const t = fakeTerminal();
    const command = fakeCommand();
    const attached = attachTerminal(command.open, t.terminal, key);
    await settle();
    t.stdin.write('\x1b[?62;22c\x1b[12;40Ra');
    await settle();
    expect(command.received.join('')).toBe('a');
    command.end(0);
    await attached;
  });

  it('follows resizes, also one that happened while opening', async () => {
    const t = fakeTerminal();
    const command = fakeCommand(30);
    const attached = attachTerminal(command.open, t.terminal, key);
    t.stdout.columns = 90;
    t.stdout.emit('resize');
    await settle(60);
    expect(command.opened.size).toEqual({ cols: 100, rows: 30 });
    expect(command.resizes).toEqual([{ cols: 90, rows: 30 }]);
    t.stdout.rows = 20;
    t.stdout.emit('resize');
    expect(command.resizes.at(-1)).toEqual({ cols: 90, rows: 20 });
    command.end(0);
    await attached;
  });

  it('says the exit code of a command that ended, and gives the terminal back when the Engine refuses', async () => {
    const t = fakeTerminal();
    const command = fakeCommand();
    const attached = attachTerminal(command.open, t.terminal, key);
    await settle();
    command.end(3);
    expect(await attached).toEqual({ reason: 'ended', exitCode: 3 });

    const refused = attachTerminal(() => Promise.reject(new Error('no such container')), t.terminal, key);
    await expect(refused).rejects.toThrow('no such container');
    expect(t.stdin.isRaw).toBe(false);
  });
});
