import { describe, expect, it } from 'vitest';
import { findSessionCommit } from '../../src/git/find-commit.js';
import type { SessionCommit } from '../../src/git/types.js';

const commit = (sha: string) => ({ sha, subject: sha }) as SessionCommit;
// Hashes that start with digits, as real ones do: a position must never be read as one of them.
const commits = [commit('4a1f0000aa'), commit('2bbb000011'), commit('2bcc000022'), commit('4000ffff33')];

describe('naming a session commit', () => {
  it('reads 1 to 3 digits as a position, 1 the oldest, even when a hash starts with them', () => {
    expect(findSessionCommit(commits, '4', 's').sha).toBe('4000ffff33');
    expect(findSessionCommit(commits, '2', 's').sha).toBe('2bbb000011');
  });

  it('reads 4 or more characters as a hash prefix, and refuses one that names two', () => {
    expect(findSessionCommit(commits, '4a1f', 's').sha).toBe('4a1f0000aa');
    expect(() => findSessionCommit(commits, '2b', 's')).toThrow('2b is not a commit of the session s.');
    expect(() => findSessionCommit(commits, '2b00', 's')).toThrow(/not a commit/);
    expect(() => findSessionCommit([...commits, commit('2bcc000099')], '2bcc', 's')).toThrow(
      '2bcc names more than one commit of s.',
    );
  });

  it('says how many there are when a position is past the end', () => {
    expect(() => findSessionCommit(commits, '9', 's')).toThrow(
      '9 is not a commit of the session s (it has 4).',
    );
  });
});
