import { describe, expect, it } from 'vitest';
import { parseStartInput, startInputProblem } from '../../src/ui/start-input.js';

describe('the start prompt', () => {
  it('reads a name, the agent arguments after --, quoted words as one', () => {
    expect(parseStartInput('fix -- --model "a b"')).toEqual({ name: 'fix', agentArgs: ['--model', 'a b'] });
    expect(parseStartInput('')).toEqual({ agentArgs: [] });
  });

  it('starts a git session with --git, before or after the name', () => {
    expect(parseStartInput('--git fix')).toEqual({ name: 'fix', agentArgs: [], git: true });
    expect(parseStartInput('fix --git -- -p hi')).toEqual({
      name: 'fix',
      agentArgs: ['-p', 'hi'],
      git: true,
    });
    // After --, --git is the agent's.
    expect(parseStartInput('fix -- --git')).toEqual({ name: 'fix', agentArgs: ['--git'] });
  });

  it('says what is wrong as you type', () => {
    expect(startInputProblem('--gti fix')).toBe('Only --git goes before the name (got "--gti").');
    expect(startInputProblem('a b')).toMatch(/^Only one name/);
    expect(startInputProblem('bad/name')).toMatch(/not a valid session name/);
    expect(startInputProblem('--git ok')).toBeUndefined();
  });
});
