import { DETACH_KEY_FORM } from '../config/shared-formats.js';
import { UsageError } from '../errors.js';

/**
 * The detach key, recognised in every form a terminal may send it: the raw control byte, the
 * kitty keyboard protocol's CSI-u (with or without an event type), and xterm's modifyOtherKeys.
 * Anywhere in a read, not only as a read of its own.
 */
export interface DetachKey {
  label: string;
  /** The raw control byte; every other form starts with ESC. */
  controlByte: number;
  /** The same key in Docker's DetachKeys format (`ctrl-q`). */
  dockerForm: string;
  /** Finds the key in a chunk of input: the offset where it starts, and its length. */
  find(chunk: string): { index: number; length: number } | undefined;
}

export const DEFAULT_DETACH_KEY = 'ctrl+q';

export function parseDetachKey(spec: string): DetachKey {
  const match = DETACH_KEY_FORM.exec(spec.trim());
  if (!match) {
    throw new UsageError(
      `The detach key "${spec}" is not one claude-tui can use.`,
      'Use ctrl+ and a letter, e.g. ctrl+q.',
    );
  }
  const key = match[1]!.toLowerCase();
  const code = key.charCodeAt(0);
  const controlByte = String.fromCharCode(code & 0x1f);
  // Ctrl is modifier 5 (1 + 4); kitty may add ":event" and alternate keys; lock keys add to 5.
  const csiU = new RegExp(`\\x1b\\[${code}(?::\\d*)*;(5|69|133|197)(?::[12])?u`);
  const modifyOtherKeys = new RegExp(`\\x1b\\[27;(5|69|133|197);${code}~`);
  const forms = [csiU, modifyOtherKeys];
  return {
    label: `Ctrl+${key.toUpperCase()}`,
    controlByte: code & 0x1f,
    dockerForm: `ctrl-${key}`,
    find(chunk) {
      let best: { index: number; length: number } | undefined;
      const raw = chunk.indexOf(controlByte);
      if (raw >= 0) best = { index: raw, length: 1 };
      for (const form of forms) {
        const found = form.exec(chunk);
        if (found && (!best || found.index < best.index))
          best = { index: found.index, length: found[0].length };
      }
      return best;
    },
  };
}
