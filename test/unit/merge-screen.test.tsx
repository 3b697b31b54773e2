import { afterEach, describe, expect, it } from 'vitest';
import type { MergeOutcome } from '../../src/git/types.js';
import { App } from '../../src/ui/app.js';
import { defaultBindings } from '../../src/ui/keymap.js';
import type { MergeService } from '../../src/ui/merge/merge-service.js';
import { MergeScreen } from '../../src/ui/screens/merge-screen.js';
import { colourTheme, ThemeContext } from '../../src/ui/theme.js';
import { createFakeDomain } from '../support/fake-domain.js';
import {
  createFakeMergeService,
  fakeCommit,
  fakeDiff,
  fakeSessionCommits,
  file,
} from '../support/fake-merge.js';
import { InkTerminal, KEYS } from '../support/ink-terminal.js';

const PAGE_DOWN = '\x1b[6~';
const CTRL_S = '\x13';
const SIZES = [
  { cols: 80, rows: 24 },
  { cols: 120, rows: 40 },
];

let terminal: InkTerminal | undefined;
afterEach(() => {
  terminal?.unmount();
  terminal = undefined;
});

interface Opened {
  t: InkTerminal;
  said: string[];
  shells: string[];
  closed: () => number;
}

/** The merge screen alone, as the app shows it below its header, with what it says recorded. */
function openScreen(service: MergeService, size = { cols: 80, rows: 24 }): Opened {
  const said: string[] = [];
  const shells: string[] = [];
  let closed = 0;
  terminal = new InkTerminal(
    <ThemeContext value={colourTheme}>
      <MergeScreen
        service={service}
        openShell={(dir) => {
          shells.push(dir);
          return Promise.resolve();
        }}
        session="s1"
        bindings={defaultBindings()}
        width={size.cols}
        height={size.rows - 2}
        active
        onClose={() => closed++}
        onHelp={() => undefined}
        onQuit={() => undefined}
        say={(kind, text) => said.push(`${kind}: ${text}`)}
      />
    </ThemeContext>,
    size,
  );
  return { t: terminal, said, shells, closed: () => closed };
}

/** The first fake commit, stopped at a conflict in src/login.ts, waiting in `worktree`. */
const conflictAt = (worktree: string): MergeOutcome => ({
  kind: 'conflict',
  sha: fakeSessionCommits()[0]!.sha,
  subject: 'Add the login form',
  files: ['src/login.ts'],
  worktree,
});

const waitForSaid = async (said: string[], text: string) => {
  const deadline = Date.now() + 5000;
  while (!said.some((s) => s.includes(text))) {
    if (Date.now() > deadline) throw new Error(`never said "${text}"; said:\n${said.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** The screen's row that holds `text`. */
const rowWith = (screen: string, text: string) =>
  screen.split('\n').find((line) => line.includes(text)) ?? '';

describe.each(SIZES)('the merge screen at $cols columns', (size) => {
  it('lists the commits oldest first with marks, stats and flags', async () => {
    const { t } = openScreen(createFakeMergeService(), size);
    await t.waitFor('Fix a typo');
    const screen = await t.settle();
    expect(screen.indexOf('Add the login form')).toBeLessThan(screen.indexOf('Run the tests in CI'));
    expect(screen.indexOf('Run the tests in CI')).toBeLessThan(screen.indexOf('Fix a typo'));
    expect(rowWith(screen, 'Add the login form')).toMatch(/\[x\] a1b2c3d .*\+52 -2\s+2 files/);
    expect(rowWith(screen, 'Run the tests in CI')).toMatch(/\[ \] e4f5a6b .*\+23 -1\s+2 files\s+! host-run/);
    expect(rowWith(screen, 'Fix a typo')).toMatch(/\[=\] c7d8e9f .*applied/);
    expect(screen).toContain('3 commits · 1 picked · 1 applied');
    expect(screen).toContain('target: main (current branch)');
    expect(screen).toMatchSnapshot();
  });

  it("shows a commit's diff with the file that runs on the host first", async () => {
    const service = createFakeMergeService();
    const { t } = openScreen(service, size);
    await t.waitFor('Fix a typo');
    await t.press('j', KEYS.enter);
    const screen = await t.waitFor('runs on the host: a GitHub workflow');
    expect(service.calls).toContain('diff e4f5a6b');
    // The workflow is second in the commit, first in its diff.
    expect(screen).toContain('file 1 of 2');
    // The file list first, then the files in the same order.
    const lines = screen.split('\n');
    expect(lines[2]).toMatch(/^ {2}\[ \] \.github\/workflows\/ci\.yml {2}\+20 -0 {2}! runs on the host/);
    expect(lines[3]).toMatch(/^ {2}\[ \] README\.md {2}\+3 -0$/);
    expect(rowWith(screen, '▾')).toMatch(/^▾ \[ \] \.github\/workflows\/ci\.yml {2}! runs on the host/);
    expect(screen).toContain('+.github/workflows/ci.yml line 1');
    expect(screen).toMatchSnapshot();
    await t.press('n', 'n');
    const next = await t.waitFor('file 2 of 2');
    expect(next.split('\n')[2]).toMatch(/^▾ \[ \] README\.md/);
  });
});

describe('the merge screen', () => {
  it('asks a second yes before picking a commit that runs on the host', async () => {
    const { t } = openScreen(createFakeMergeService());
    await t.waitFor('Fix a typo');
    await t.press('j', KEYS.space);
    const asked = await t.waitFor('Pick e4f5a6b though it runs on the host? (y/N)');
    expect(asked).toContain('! .github/workflows/ci.yml runs on the host: a GitHub workflow');
    await t.press('n');
    await t.waitFor('[ ] e4f5a6b');
    await t.press(KEYS.space);
    await t.waitFor('though it runs on the host?');
    await t.press('y');
    await t.waitFor('[x] e4f5a6b');
    await t.press('j', KEYS.space);
    await t.settle();
    expect(t.screen()).toContain('[=] c7d8e9f');
  });

  it('collapses a file to its header and shows the next one under it', async () => {
    const { t } = openScreen(createFakeMergeService());
    await t.waitFor('Fix a typo');
    await t.press(KEYS.enter);
    await t.waitFor('+src/login.ts line 1');
    await t.press('c');
    const screen = await t.waitFor('▸ [x] src/login.ts');
    expect(screen).not.toContain('+src/login.ts line 1');
    const lines = screen.split('\n');
    const header = lines.findIndex((line) => line.includes('▸ [x] src/login.ts'));
    expect(lines[header + 1]).toContain('▾ [x] src/form.ts');
  });

  it('pages through a 10,000-line diff, drawing only the rows that fit', async () => {
    const big = fakeCommit('b16b16b', 'Generate the fixtures', [file('fixtures.txt', 10_000, 0)]);
    const service = createFakeMergeService([big], {
      [big.sha]: fakeDiff([{ path: 'fixtures.txt', lines: 10_000 }]),
    });
    const { t } = openScreen(service, { cols: 80, rows: 24 });
    await t.waitFor('Generate the fixtures');
    await t.press(KEYS.enter);
    // 24 rows: the app's header and status line, the title, the target and keys, the diff's own line.
    await t.waitFor('rows 1-18 of 10004');
    await t.press(PAGE_DOWN);
    const screen = await t.waitFor('rows 18-35 of 10004');
    // A page keeps one row of the last: row 18 is line 14 (under the file list, a gap, the header, the hunk line).
    const diffRows = screen.split('\n').filter((line) => line.startsWith('+fixtures.txt line'));
    expect(diffRows[0]).toBe('+fixtures.txt line 14');
    expect(diffRows).toHaveLength(18);
    await t.press('G');
    await t.waitFor('+fixtures.txt line 10000');
  });

  it('lands only the files picked in a diff', async () => {
    const service = createFakeMergeService();
    const { t, said } = openScreen(service);
    await t.waitFor('Fix a typo');
    await t.press(KEYS.enter);
    await t.waitFor('▾ [x] src/login.ts');
    await t.press(KEYS.space);
    await t.waitFor('▾ [ ] src/login.ts');
    await t.press(KEYS.escape);
    await t.waitFor('[~] a1b2c3d');
    await t.press('l');
    await t.waitFor('Land 1 commit (1 in part) on main (current branch)? (y/N)');
    await t.press('y');
    await t.waitFor('Landed on main: 1 commit');
    expect(service.requests).toEqual([
      {
        session: 's1',
        picks: [{ sha: fakeSessionCommits()[0]!.sha, files: ['src/form.ts'] }],
        target: { kind: 'current' },
      },
    ]);
    await waitForSaid(said, 'Landed on main');
  });

  it('goes back to the dashboard after landing: escape leaves the outcome, then the screen', async () => {
    const service = createFakeMergeService();
    const opened = openScreen(service);
    await opened.t.waitFor('Fix a typo');
    await opened.t.press('l');
    await opened.t.waitFor('(y/N)');
    await opened.t.press('y');
    await opened.t.waitFor('Landed on main');
    await opened.t.press(KEYS.escape);
    await opened.t.press(KEYS.escape);
    await expect.poll(() => opened.closed()).toBe(1);
  });

  it('squashes the picked commits with a message edited in place', async () => {
    const service = createFakeMergeService();
    const { t } = openScreen(service);
    await t.waitFor('Fix a typo');
    await t.press('s');
    await t.waitFor('SQUASH MESSAGE');
    expect(t.screen()).toContain('Add the login form');
    for (let i = 0; i < 'form'.length; i++) await t.press(KEYS.backspace);
    await t.type('page');
    await t.press(KEYS.enter);
    await t.type('With tests.');
    await t.press(CTRL_S);
    await t.waitFor('squash into one: Add the login page');
    await t.press('l');
    await t.waitFor('Squash 1 commit into one and land it on main (current branch)?');
    await t.press('y');
    await t.waitFor('Landed on main');
    expect(service.requests[0]!.squash).toEqual({ message: 'Add the login page\nWith tests.' });
  });

  it('lands on a new branch named in place, checking the name as it is typed', async () => {
    const service = createFakeMergeService();
    const { t } = openScreen(service);
    await t.waitFor('Fix a typo');
    await t.press('b');
    await t.type('bad name');
    await t.waitFor('a branch name has no spaces');
    for (let i = 0; i < 'name'.length + 1; i++) await t.press(KEYS.backspace);
    await t.type('/login');
    await t.press(KEYS.enter);
    await t.waitFor('target: new branch bad/login (from main)');
    await t.press('l', 'y');
    await t.waitFor('Landed on');
    expect(service.requests[0]!.target).toEqual({ kind: 'new-branch', name: 'bad/login' });
  });

  it('stops at a conflict: a shell in the worktree, then continue', async () => {
    const service = createFakeMergeService();
    const conflict = conflictAt('/tmp/claude-tui-merge-s1');
    service.outcomes.push(conflict, {
      kind: 'landed',
      branch: 'main',
      commits: ['abc'],
      skipped: ['c7d8e9f'],
      dryRun: false,
    });
    const { t, shells } = openScreen(service);
    await t.waitFor('Fix a typo');
    await t.press('l', 'y');
    const screen = await t.waitFor('Resolve them in /tmp/claude-tui-merge-s1');
    expect(screen).toContain('Conflict: a1b2c3d Add the login form does not apply');
    expect(screen).toContain('  src/login.ts');
    await t.press(KEYS.escape);
    await t.settle();
    expect(t.screen()).toContain('Resolve them in'); // escape does not leave a merge half done
    await t.press('o');
    await expect.poll(() => shells).toEqual(['/tmp/claude-tui-merge-s1']);
    await t.press('c');
    await t.waitFor('Landed on main: 1 commit, 1 skipped (already on it)');
    expect(service.calls).toContain('continue');
  });

  it('skips the commit that conflicts, or aborts after a yes', async () => {
    const service = createFakeMergeService();
    const conflict = conflictAt('/tmp/w');
    service.outcomes.push(conflict, conflict);
    const { t, said } = openScreen(service);
    await t.waitFor('Fix a typo');
    await t.press('l', 'y');
    await t.waitFor('Resolve them in /tmp/w');
    await t.press('s');
    await expect.poll(() => service.calls).toContain('skip');
    await t.waitFor('Resolve them in /tmp/w'); // the next pick conflicts too
    await t.press('a');
    await t.waitFor('Abort the merge? Nothing lands. (y/N)');
    await t.press('n');
    await t.settle();
    expect(service.calls).not.toContain('abort');
    await t.press('a', 'y');
    await t.waitFor('[x] a1b2c3d');
    expect(service.calls).toContain('abort');
    await waitForSaid(said, 'The merge was aborted');
  });

  it('goes back to the projects on escape from the list', async () => {
    const opened = openScreen(createFakeMergeService());
    await opened.t.waitFor('Fix a typo');
    await opened.t.press(KEYS.escape);
    await expect.poll(() => opened.closed()).toBe(1);
  });
});

describe('the merge screen in the dashboard', () => {
  const openApp = (factory?: (dir: string, session: string) => MergeService) => {
    const domain = createFakeDomain();
    Object.assign(domain.world.sessions['/home/dev/alpha']![0]!, {
      kind: 'git',
      git: { ahead: 3, landed: 1 },
    });
    terminal = new InkTerminal(
      <ThemeContext value={colourTheme}>
        <App
          domain={domain}
          bindings={defaultBindings()}
          bell={false}
          {...(factory ? { mergeService: factory } : {})}
        />
      </ThemeContext>,
      { cols: 120, rows: 40 },
    );
    return terminal;
  };

  it('shows git sessions with their counts, and opens the merge screen with m', async () => {
    const opened: string[] = [];
    const t = openApp((dir, session) => {
      opened.push(`${dir} ${session}`);
      return createFakeMergeService();
    });
    await t.waitFor('PREVIEW  fix-login · 3 ahead, 1 landed · m merges');
    expect(rowWith(t.screen(), 'fix-login      working')).toContain('git');
    await t.press(KEYS.tab, 'm');
    await t.waitFor('MERGE fix-login');
    await t.waitFor('Fix a typo');
    expect(opened).toEqual(['/home/dev/alpha fix-login']);
    await t.press(KEYS.escape);
    await t.waitFor('PREVIEW');
  });

  it('opens the merge screen with m from the project list too, on the selected session', async () => {
    const t = openApp(() => createFakeMergeService());
    await t.waitFor('PREVIEW  fix-login · 3 ahead, 1 landed · m merges');
    await t.press('m');
    await t.waitFor('MERGE fix-login');
  });

  it('says only git sessions have commits to merge', async () => {
    const t = openApp(() => createFakeMergeService());
    await t.waitFor('3 ahead, 1 landed');
    await t.press(KEYS.tab, 'j', 'm');
    await t.waitFor('s1: only git sessions (start --git) have commits to merge.');
    expect(t.screen()).not.toContain('MERGE');
  });

  it('says merging is not available until the git service is wired in', async () => {
    const t = openApp();
    await t.waitFor('3 ahead, 1 landed');
    await t.press(KEYS.tab, 'm');
    await t.waitFor('Merging git sessions is not available in this build yet.');
  });
});
