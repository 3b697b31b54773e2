import realWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import stringWidth, { ONE_COLUMN } from '../../src/ui/text-width.js';

/** The characters the quick path measures by their count. */
function quickCharacters(): string[] {
  const taken: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (ONE_COLUMN.test(char)) taken.push(char);
  }
  return taken;
}

describe('text width (string-width for Ink, quick for the usual characters)', () => {
  const quick = quickCharacters();

  it('agrees with string-width on every character of the Basic Multilingual Plane', () => {
    const differ: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCodePoint(code);
      if (stringWidth(char) !== realWidth(char)) differ.push(code.toString(16));
    }
    expect(differ).toEqual([]);
    // Each quick character is one column, and nothing that joins its neighbours.
    const joining = /[\p{M}\p{C}\p{Zl}\p{Zp}\p{Emoji_Presentation}]/u;
    expect(quick.filter((char) => realWidth(char) !== 1 || joining.test(char))).toEqual([]);
    // The quick path covers the dashboard's own symbols, and more than ASCII.
    expect(quick.length).toBeGreaterThan(3000);
    for (const char of '·›…─│●○✓↑↓⏺✻⎿╭╮╰╯▶') expect(quick).toContain(char);
  });

  it('measures text of those characters as string-width does, escape codes or not', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let round = 0; round < 3000; round++) {
      let text = '';
      for (let i = next() % 14; i > 0; i--) {
        text += next() % 5 === 0 ? `\u001B[${30 + (next() % 8)}m` : quick[next() % quick.length]!;
      }
      if (next() % 3 === 0) text = `\u001B]8;;https://x.test/\u0007${text}\u001B]8;;\u0007\u001B[0m`;
      expect(stringWidth(text), JSON.stringify(text)).toBe(realWidth(text));
    }
  });

  it('leaves everything else to string-width: emoji, wide, combining, joined, and its options', () => {
    const texts = [
      'plain',
      '日本語 · 한국어',
      'e\u0301 and a\u0308',
      '👍🏽 👨‍👩‍👧 🇫🇷',
      '⌚ ✅ ❤️ 1️⃣',
      'soft\u00ADhyphen and zero\u200Bwidth',
      '\u001B[31m赤\u001B[0m',
      'tab\there',
      '',
    ];
    for (const text of texts) expect(stringWidth(text), text).toBe(realWidth(text));
    for (const options of [{ ambiguousIsNarrow: false }, { countAnsiEscapeCodes: true }])
      for (const text of ['·›…─', '\u001B[1m·bold\u001B[22m', 'ab'])
        expect(stringWidth(text, options), `${text} ${JSON.stringify(options)}`).toBe(
          realWidth(text, options),
        );
  });
});
