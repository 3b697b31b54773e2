import type { Socket } from 'node:net';
import type { ExecProcess } from '../docker/exec-process.js';

/**
 * Output pieces this close together, each under half a read (exec-process reads up to three of
 * the Engine's 32 KiB frames), are a stream the relay keeps up with: its next read waits a moment.
 * Typed keys and their echo come further apart, and a bulk command that outruns the relay fills
 * its reads, so neither waits.
 */
const STREAMING_GAP_MS = 2;
const SMALL_PIECE_BYTES = 48 * 1024;
const OUTPUT_WAIT_MS = 1;

export interface OutputPace {
  /** A piece of the command's output of this size was just written to the caller. */
  sent(size: number): void;
  /** The call is over: no read is waited for any longer. */
  stop(): void;
}

/**
 * When a bridged command's next output is read. Output is lent (exec-process): bytes the
 * caller's socket could not take at once still point into the buffer the next read fills, so
 * nothing more is read until they are written. And while a command streams output in small
 * pieces (the relay has caught up with the Engine's frames of 4 to 32 KiB), the next read waits
 * OUTPUT_WAIT_MS and takes several frames at once: on a busy machine the wake-ups of the relay
 * and of the caller, one each a read, set the pace more than the copying does. A piece is never
 * held back, only the read after it.
 */
export function outputPace(client: Socket, exec: Pick<ExecProcess, 'pause' | 'resume'>): OutputPace {
  /** Output waits to be written to the caller. */
  let held = false;
  /** The command streams output in small pieces: its next read waits for more to gather. */
  let wait: NodeJS.Timeout | undefined;
  let lastSentAt = 0;
  return {
    sent(size) {
      if (held) return;
      const now = performance.now();
      const streaming = size < SMALL_PIECE_BYTES && now - lastSentAt < STREAMING_GAP_MS;
      lastSentAt = now;
      if (client.writableLength > 0) {
        held = true;
        clearTimeout(wait);
        wait = undefined;
        client.write(Buffer.alloc(0), () => {
          held = false;
          exec.resume();
        });
      } else if (streaming && !wait) {
        wait = setTimeout(() => {
          wait = undefined;
          exec.resume();
        }, OUTPUT_WAIT_MS);
      } else return;
      exec.pause();
    },
    stop: () => clearTimeout(wait),
  };
}
