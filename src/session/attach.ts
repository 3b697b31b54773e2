import type { Pty, PtySpawner } from '../system/pty.js';
import type { DetachKey } from './detach-key.js';
import { RESET_TERMINAL_MODES, stripTerminalReplies } from './terminal-modes.js';

export interface AttachTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export type AttachOutcome =
  { reason: 'detached'; closed: Promise<void> } | { reason: 'ended'; exitCode: number };

/** Bound to detach-client in the image's tmux.conf (user-keys[0]). */
export const TMUX_DETACH_SEQUENCE = '\x1b[57361;1337~';
/** If tmux has not let go by then, the connection is cut. */
const DETACH_GRACE_MS = 2000;

/** Replies to queries made before we attached are dropped for this long. */
const REPLY_GRACE_MS = 300;

/**
 * Hands the terminal to a command in a pty (`docker exec -it … tmux attach`): every byte both
 * ways, raw, window size on start and on every resize, until the detach key or the end of the
 * command. The terminal is restored fully either way. While attached, this is the only reader of
 * stdin.
 */
export function attachTerminal(
  spawner: PtySpawner,
  command: { file: string; args: string[]; env: NodeJS.ProcessEnv },
  terminal: AttachTerminal,
  detachKey: DetachKey,
): Promise<AttachOutcome> {
  const { stdin, stdout } = terminal;
  const size = () => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 });
  const pty: Pty = spawner.spawn(command.file, command.args, { ...size(), env: command.env });
  const startedAt = Date.now();
  const otherReaders = stdin.listeners('data') as ((chunk: Buffer) => void)[];
  for (const listener of otherReaders) stdin.off('data', listener);
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  // Node writes to a terminal synchronously; while attached, the agent's output should stream
  // without stalling the read side of the pty.
  setBlocking(stdout, false);
  if (stdin.isTTY) stdin.setRawMode(true);

  return new Promise((resolve) => {
    let finished = false;
    const finish = (outcome: AttachOutcome) => {
      if (finished) return;
      finished = true;
      stdin.off('data', onInput);
      stdout.off('resize', onResize);
      if (stdin.isTTY) stdin.setRawMode(wasRaw);
      stdin.pause();
      for (const listener of otherReaders) stdin.on('data', listener);
      stdout.write(RESET_TERMINAL_MODES);
      setBlocking(stdout, true);
      resolve(outcome);
    };
    const onInput = (chunk: Buffer) => {
      // latin1 maps every byte to one character, so offsets in the text are offsets in the bytes.
      const raw = chunk.toString('latin1');
      const text = Date.now() - startedAt < REPLY_GRACE_MS ? stripTerminalReplies(raw) : raw;
      const key = detachKey.find(text);
      if (key) {
        // tmux takes what was typed, then detaches: in order, so no keystroke is lost. The
        // person gets the terminal back at once; the connection closes behind.
        pty.write(Buffer.from(text.slice(0, key.index) + TMUX_DETACH_SEQUENCE, 'latin1'));
        const timer = setTimeout(() => pty.kill('SIGHUP'), DETACH_GRACE_MS);
        const closed = new Promise<void>((resolveClosed) =>
          pty.onExit(() => {
            clearTimeout(timer);
            resolveClosed();
          }),
        );
        finish({ reason: 'detached', closed });
        return;
      }
      // The common case passes the bytes on as they came.
      if (text === raw) pty.write(chunk);
      else if (text) pty.write(Buffer.from(text, 'latin1'));
    };
    const onResize = () => {
      const { cols, rows } = size();
      pty.resize(cols, rows);
    };
    pty.onData((data) => {
      if (!finished) stdout.write(data);
    });
    pty.onExit(({ exitCode }) => finish({ reason: 'ended', exitCode }));
    stdin.on('data', onInput);
    stdout.on('resize', onResize);
    stdin.resume();
  });
}

function setBlocking(stream: NodeJS.WriteStream, blocking: boolean): void {
  (stream as unknown as { _handle?: { setBlocking?: (b: boolean) => void } })._handle?.setBlocking?.(
    blocking,
  );
}
