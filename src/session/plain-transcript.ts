/**
 * A transcript that is plain text (what `claude -p` and most one-shot commands print) reads the
 * same without a terminal emulator: lines ended by CRLF, no escape sequence but the session
 * script's own end mark (an OSC no terminal shows), no carriage return or backspace that would
 * overwrite what was printed. Taken as it is, it skips loading and running the emulator.
 * Anything else returns undefined, for the emulator to render.
 */
// eslint-disable-next-line no-control-regex -- the mark is made of control characters
const END_MARK = /\x1b\]7717;[^\x07\x1b]*\x07/g;
// Any control character but tab, line feed and carriage return; and ESC and DEL.
// eslint-disable-next-line no-control-regex -- control characters are what is looked for
const NOT_PLAIN = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]|\r(?!\n)/;

export function plainTranscript(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8').replace(END_MARK, '');
  if (NOT_PLAIN.test(text) || text.includes('\uFFFD')) return undefined;
  return text.replace(/\r\n/g, '\n');
}
