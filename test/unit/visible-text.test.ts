import { describe, expect, it } from 'vitest';
import { visibleText } from '../../src/system/visible-text.js';

describe('text from the workspace on a terminal', () => {
  it('shows escape sequences and other controls as marks, so they cannot act', () => {
    // A line that would clear the screen, retitle the window and write the clipboard.
    const hostile = '+ok\x1b[2J\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07\r- hidden';
    const shown = visibleText(hostile);
    expect(shown).toBe('+ok^[[2J^[]0;title^G^[]52;c;ZXZpbA==^G^M- hidden');
    // eslint-disable-next-line no-control-regex -- no control character may be left
    expect(shown).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('keeps tabs and newlines, and the C1 controls become code points', () => {
    expect(visibleText('a\tb\nc\u009bd\x7f')).toBe('a\tb\nc<U+009B>d^?');
    expect(visibleText('one\ntwo', { oneLine: true })).toBe('one^Jtwo');
    expect(visibleText('plain ü text')).toBe('plain ü text');
  });
});
