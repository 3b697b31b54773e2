import type { ExecProcess } from '../docker/exec-process.js';
import type { DetachKey } from './detach-key.js';
import { RESET_TERMINAL_MODES, stripTerminalReplies } from './terminal-modes.js';

export interface AttachTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export type AttachOutcome =
  { reason: 'detached'; closed: Promise<void> } | { reason: 'ended'; exitCode: number };

/** Opens the command's terminal at a size; its output goes to `onOutput` from the first byte. */
export type OpenTerminal = (
  size: { cols: number; rows: number },
  onOutput: (data: Buffer) => void,
) => Promise<AttachedCommand>;

/** What attaching needs of the command on its terminal (an Engine exec gives all of it). */
export type AttachedCommand = Pick<ExecProcess, 'stdin' | 'resize' | 'pause' | 'resume' | 'exit' | 'close'>;

/** Bound to detach-client in the image's tmux.conf (user-keys[0]). */
export const TMUX_DETACH_SEQUENCE = '\x1b[57361;1337~';
/** If tmux has not let go by then, the connection is cut. */
const DETACH_GRACE_MS = 2000;

const ESC = 0x1b;

/** Replies to queries made before we attached are dropped for this long. */
const REPLY_GRACE_MS = 300;

/**
 * Hands the terminal to a command's terminal (`tmux attach` in the agent container): every byte
 * both ways, raw, window size on start and on every resize, until the detach key or the end of
 * the command. The terminal is restored fully either way. While attached, this is the only reader
 * of stdin; what is typed while the connection opens is kept and sent first.
 */
export function attachTerminal(
  open: OpenTerminal,
  terminal: AttachTerminal,
  detachKey: DetachKey,
): Promise<AttachOutcome> {
  const { stdin, stdout } = terminal;
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const startedAt = Date.now();
  const otherReaders = stdin.listeners('data') as ((chunk: Buffer) => void)[];
  for (const listener of otherReaders) stdin.off('data', listener);
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  // Node writes to a terminal synchronously; while attached, the agent's output should stream
  // without stalling the read side of the connection.
  setBlocking(stdout, false);
  if (stdin.isTTY) stdin.setRawMode(true);

  return new Promise((resolve, reject) => {
    let finished = false;
    let link: AttachedCommand | undefined;
    const typedEarly: Buffer[] = [];
    const send = (data: Buffer) => {
      if (link) link.stdin.write(data);
      else typedEarly.push(data);
    };
    const openedAt = size();
    // When the terminal cannot keep up, stop reading until it can: tmux then sees a slow client
    // and redraws the screen instead of streaming every byte, as it does for a terminal of its own.
    let draining = false;
    const onDrain = () => {
      draining = false;
      link?.resume();
    };
    const opened = open(openedAt, (data) => {
      if (finished || stdout.write(data) || draining) return;
      draining = true;
      link?.pause();
      stdout.once('drain', onDrain);
    });

    const restore = () => {
      finished = true;
      stdin.off('data', onInput);
      stdout.off('resize', onResize);
      // Output is no longer shown, but the connection is read on until it closes.
      stdout.off('drain', onDrain);
      link?.resume();
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      stdin.pause();
      for (const listener of otherReaders) stdin.on('data', listener);
      stdout.write(RESET_TERMINAL_MODES);
      setBlocking(stdout, true);
    };
    const finish = (outcome: AttachOutcome) => {
      if (finished) return;
      restore();
      resolve(outcome);
    };
    const onInput = (data: Buffer | string) => {
      // A reader before us (the dashboard's) may have set an encoding: bytes are what we pass on.
      const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      // Typing and pastes hold neither ESC (which starts every other form of the detach key and
      // every terminal reply) nor the detach key's control byte: those go on as they came,
      // without being looked at again. This is the path of every keystroke's echo.
      if (!chunk.includes(ESC) && !chunk.includes(detachKey.controlByte)) {
        send(chunk);
        return;
      }
      // latin1 maps every byte to one character, so offsets in the text are offsets in the bytes.
      const raw = chunk.toString('latin1');
      const text = Date.now() - startedAt < REPLY_GRACE_MS ? stripTerminalReplies(raw) : raw;
      const key = detachKey.find(text);
      if (key) {
        // tmux takes what was typed, then detaches: in order, so no keystroke is lost. The
        // person gets the terminal back at once; the connection closes behind.
        send(Buffer.from(text.slice(0, key.index) + TMUX_DETACH_SEQUENCE, 'latin1'));
        const closed = opened.then(
          (connection) => {
            const timer = setTimeout(() => connection.close(), DETACH_GRACE_MS);
            return connection.exit.then(() => clearTimeout(timer));
          },
          () => undefined,
        );
        finish({ reason: 'detached', closed });
        return;
      }
      // The common case passes the bytes on as they came.
      if (text === raw) send(chunk);
      else if (text) send(Buffer.from(text, 'latin1'));
    };
    const onResize = () => {
      // Before the connection is open, the size is compared once it is.
      link?.resize(size());
    };
    stdin.on('data', onInput);
    stdout.on('resize', onResize);
    stdin.resume();

    opened.then(
      (connection) => {
        link = connection;
        if (draining) connection.pause();
        for (const data of typedEarly.splice(0)) connection.stdin.write(data);
        const now = size();
        if (now.cols !== openedAt.cols || now.rows !== openedAt.rows) onResize();
        void connection.exit.then((exitCode) => finish({ reason: 'ended', exitCode: exitCode ?? 1 }));
      },
      (error: unknown) => {
        if (finished) return;
        restore();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function setBlocking(stream: NodeJS.WriteStream, blocking: boolean): void {
  (stream as unknown as { _handle?: { setBlocking?: (b: boolean) => void } })._handle?.setBlocking?.(
    blocking,
  );
}
