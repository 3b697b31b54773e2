import { describe, expect, it } from 'vitest';
import { LineKind, parseDiff, unquote } from '../../src/git/parse-diff.js';

/** What `git show --format=... --patch` prints for a commit touching four files. */
const SHOW = [
  'commit 0123456789abcdef',
  'Author: Agent <agent@example.com>',
  '',
  '    Add the login form',
  '',
  'diff --git a/src/login.ts b/src/login.ts',
  'index 1111111..2222222 100644',
  '--- a/src/login.ts',
  '+++ b/src/login.ts',
  '@@ -1,3 +1,4 @@',
  ' import { form } from "./form";',
  '-const a = 1;',
  '+const a = 2;',
  '+const b = 3;',
  ' export { a };',
  '@@ -10 +11 @@ function tail()',
  '-old',
  '+new',
  '\\ No newline at end of file',
  'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/.github/workflows/ci.yml',
  '@@ -0,0 +1,2 @@',
  '+on: push',
  '+--- not a header: inside the hunk',
  'diff --git a/old name.txt b/new name.txt',
  'similarity index 90%',
  'rename from old name.txt',
  'rename to new name.txt',
  'diff --git a/logo.png b/logo.png',
  'deleted file mode 100644',
  'Binary files a/logo.png and /dev/null differ',
  '',
].join('\n');

describe('parseDiff', () => {
  const diff = parseDiff(SHOW);

  it('finds every file with its path, status and counts', () => {
    expect(diff.files.map((f) => [f.path, f.status, f.added, f.removed, f.binary])).toEqual([
      ['src/login.ts', 'modified', 3, 2, false],
      ['.github/workflows/ci.yml', 'added', 2, 0, false],
      ['new name.txt', 'renamed', 0, 0, false],
      ['logo.png', 'deleted', 0, 0, true],
    ]);
    expect(diff.files[2]!.oldPath).toBe('old name.txt');
  });

  it("gives each file the range of its hunks, and each line's kind", () => {
    const login = diff.files[0]!;
    const shown = diff.lines.slice(login.start, login.end);
    expect(shown[0]).toBe('@@ -1,3 +1,4 @@');
    expect(shown.at(-1)).toBe('\\ No newline at end of file');
    expect([...diff.kinds.slice(login.start, login.end)]).toEqual([
      LineKind.hunk,
      LineKind.context,
      LineKind.removed,
      LineKind.added,
      LineKind.added,
      LineKind.context,
      LineKind.hunk,
      LineKind.removed,
      LineKind.added,
      LineKind.note,
    ]);
  });

  it('counts hunk lines, so a line starting with --- inside a hunk is content, not a header', () => {
    const ci = diff.files[1]!;
    expect(diff.lines.slice(ci.start, ci.end)).toEqual([
      '@@ -0,0 +1,2 @@',
      '+on: push',
      '+--- not a header: inside the hunk',
    ]);
    expect(ci.path).toBe('.github/workflows/ci.yml');
  });

  it('gives files without hunks an empty range', () => {
    for (const file of diff.files.slice(2)) expect(file.end - file.start).toBe(0);
  });

  it('reads quoted paths with escaped bytes', () => {
    expect(unquote('"caf\\303\\251 \\"x\\".txt"')).toBe('café "x".txt');
    const quoted = parseDiff(
      ['diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"', 'new file mode 100644', ''].join('\n'),
    );
    expect(quoted.files[0]!.path).toBe('café.txt');
  });

  it('parses 10,000 lines in a few milliseconds and keeps one kind byte per line', () => {
    const body = Array.from({ length: 10_000 }, (_, i) => `+line ${i}`);
    const text = ['diff --git a/big.txt b/big.txt', '@@ -0,0 +1,10000 @@', ...body].join('\n');
    const started = performance.now();
    const big = parseDiff(text);
    expect(performance.now() - started).toBeLessThan(100);
    expect(big.files[0]!.added).toBe(10_000);
    expect(big.kinds).toHaveLength(10_002);
  });
});
