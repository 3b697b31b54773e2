/**
 * What a full-screen agent may have switched on in the person's terminal, switched off again when
 * the terminal comes back to us: alternate screen, hidden cursor, mouse reporting, bracketed paste,
 * focus reporting, the kitty keyboard protocol, modifyOtherKeys, application keypad and cursor
 * keys; auto-wrap back on, colours reset.
 */
export const RESET_TERMINAL_MODES = [
  '\x1b[?1049l', // leave the alternate screen
  '\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1005l\x1b[?1006l\x1b[?1015l', // mouse reporting off
  '\x1b[?2004l', // bracketed paste off
  '\x1b[?1004l', // focus reporting off
  '\x1b[<999u', // pop every kitty keyboard mode
  '\x1b[>4;0m', // modifyOtherKeys off
  '\x1b[?1l\x1b>', // normal cursor keys and keypad
  '\x1b[?7h', // auto-wrap on
  '\x1b[0m', // colours and styles reset
  '\x1b[?25h', // cursor shown
].join('');

/**
 * Replies a terminal sends to queries (device attributes, cursor position, colours, mode
 * reports). Arriving just after attach, they answer someone else's question and must not reach
 * the agent as typing.
 */
const terminalReply =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[?>=][\d;]*c|\x1b\[\d+;\d+R|\x1b\][\d;]*rgb:[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[\?[\d;]*\$y|\x1bP[^\x1b]*\x1b\\/g;

export function stripTerminalReplies(chunk: string): string {
  return chunk.replace(terminalReply, '');
}
