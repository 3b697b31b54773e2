import { describe, expect, it } from 'vitest';
import { plainTranscript } from '../../src/session/plain-transcript.js';

describe('plain transcripts (no terminal emulator needed)', () => {
  it('takes plain lines as printed, without the end mark', () => {
    const bytes = Buffer.from('answer: hello\r\n\tindented  \r\nlast\x1b]7717;claude-tui-end-1-2\x07');
    expect(plainTranscript(bytes)).toBe('answer: hello\n\tindented  \nlast');
  });

  it('leaves to the emulator what a terminal would change: colours, overwrites, backspaces', () => {
    for (const text of ['\x1b[31mred\x1b[0m\r\n', 'working 1\rworking 2\r\n', 'ab\bc\r\n', 'bell\x07\r\n']) {
      expect(plainTranscript(Buffer.from(text)), JSON.stringify(text)).toBeUndefined();
    }
    expect(plainTranscript(Buffer.from([0x61, 0xff, 0x0d, 0x0a]))).toBeUndefined();
  });
});
