import { maskCredential } from './credential.js';

const TOKEN = /sk-ant-[A-Za-z0-9_-]+/g;
const PREFIX = 'sk-ant-';
const TOKEN_CHAR = /[A-Za-z0-9_-]/;

/**
 * Watches a login's terminal output for the token it prints, and passes the output on with the
 * token masked, so that it is caught for the store and never lands in the person's scrollback.
 * A token may arrive split over reads: output that could be the start of one is held back until
 * the next read (or the end) shows where it stops.
 */
export class TokenCatcher {
  private pending = '';
  private readonly found: string[] = [];

  /** The text to show for this piece of output. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    const hold = heldBackFrom(text);
    this.pending = text.slice(hold);
    return this.mask(text.slice(0, hold));
  }

  /** What was held back, once the output has ended. */
  end(): string {
    const rest = this.pending;
    this.pending = '';
    return this.mask(rest);
  }

  /** The last token printed: a login that was retried prints the one that counts last. */
  token(): string | undefined {
    return this.found.at(-1);
  }

  private mask(text: string): string {
    return text.replace(TOKEN, (token) => {
      this.found.push(token);
      return maskCredential(token);
    });
  }
}

/** Where the text stops being safe to pass on: a token (or its prefix) running to the end. */
function heldBackFrom(text: string): number {
  const start = text.lastIndexOf(PREFIX);
  if (start >= 0) {
    let end = start + PREFIX.length;
    while (end < text.length && TOKEN_CHAR.test(text.charAt(end))) end++;
    if (end === text.length) return start;
  }
  for (let length = Math.min(PREFIX.length - 1, text.length); length > 0; length--) {
    if (PREFIX.startsWith(text.slice(-length))) return text.length - length;
  }
  return text.length;
}
