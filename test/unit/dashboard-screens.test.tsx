import { afterEach, describe, expect, it } from 'vitest';
import type { PendingChange } from '../../src/policy/review-policy.js';
import { App } from '../../src/ui/app.js';
import { COMMANDS, defaultBindings } from '../../src/ui/keymap.js';
import { colourTheme, plainTheme, ThemeContext, type Theme } from '../../src/ui/theme.js';
import { createFakeDomain, fakeWorld, type FakeDomain } from '../support/fake-domain.js';
import { InkTerminal, KEYS } from '../support/ink-terminal.js';

let terminal: InkTerminal | undefined;

/** A waiting change as the policy review reports one: a file's diff and what it would widen. */
const widening: PendingChange = {
  files: [
    {
      path: '.claude/allowed-domains.txt',
      change: 'changed',
      lines: ['  example.org', '+ evil.example.com'],
    },
  ],
  widens: [{ kind: 'allowlist', text: 'allows evil.example.com' }],
  narrows: [],
  problems: [],
  snapshot: { files: {}, caCertificates: {}, mountSources: {} },
};
afterEach(() => {
  terminal?.unmount();
  terminal = undefined;
});

function open(
  domain: FakeDomain,
  size = { cols: 80, rows: 24 },
  theme: Theme = colourTheme,
  startDir?: string,
): InkTerminal {
  terminal = new InkTerminal(
    <ThemeContext value={theme}>
      <App domain={domain} bindings={defaultBindings()} bell={false} startDir={startDir} />
    </ThemeContext>,
    size,
  );
  return terminal;
}

/** The first frame with the projects, the firewall states and the selected session's preview. */
async function ready(t: InkTerminal): Promise<string> {
  await t.waitFor('fix-login');
  await t.waitFor('protected');
  await t.waitFor('fake agent screen of fix-login');
  return t.settle();
}

describe('the projects screen', () => {
  it('shows projects, sessions and the live preview at 80x24', async () => {
    const t = open(createFakeDomain());
    expect(await ready(t)).toMatchSnapshot();
  });

  it('uses two columns at 120x40', async () => {
    const t = open(createFakeDomain(), { cols: 120, rows: 40 });
    expect(await ready(t)).toMatchSnapshot();
  });

  it('marks a project whose policy change or host-run files wait for review, and opens the review with r', async () => {
    const domain = createFakeDomain();
    domain.world.alerts['/srv/gamma-service'] = {
      pending: { ...widening, widens: [{ kind: 'firewall', text: 'turns the firewall off' }] },
      approvedAt: null,
      hostRun: [{ path: '.git/hooks/pre-commit', change: 'created' }],
    };
    const t = open(domain, { cols: 120, rows: 30 });
    await ready(t);
    await t.waitFor(/! gamma-service/);
    expect(t.screen()).toContain('1 to review (r)');
    expect(t.screen()).not.toMatch(/! alpha/);
    await t.press('j', 'j');
    await t.waitFor('! policy change waits: turns the firewall off');
    await t.press('r');
    await t.waitFor('POLICY REVIEW');
    const review = await t.waitFor('.git/hooks/pre-commit (created)');
    expect(review).toContain('not approved yet; until they are, the project runs on the defaults');
    expect(review).toContain('▲ turns the firewall off');
    await t.press('y', 'y');
    await t.waitFor('Approved and applied');
    expect(domain.calls).toContain('approve /srv/gamma-service .claude/allowed-domains.txt');
  });

  it('moves the selection with j/k and arrows and follows the project in the sessions pane', async () => {
    const t = open(createFakeDomain());
    await ready(t);
    await t.press('j');
    await t.waitFor('the project is down: u brings it up');
    await t.press(KEYS.down);
    await t.waitFor(/SESSIONS\s+gamma-service/);
    await t.press('k', 'k');
    await t.waitFor(/SESSIONS\s+alpha/);
  });

  it('attaches to the selected session with Enter and comes back to the same selection', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press(KEYS.tab, KEYS.down, KEYS.enter);
    await t.waitFor('Detached from s1; it keeps running.');
    expect(domain.calls).toContain('attach /home/dev/alpha s1');
    // The selection is where it was: Enter again attaches to s1 again.
    await t.press(KEYS.enter);
    await t.waitFor('Detached from s1');
    expect(domain.calls.filter((c) => c === 'attach /home/dev/alpha s1')).toHaveLength(2);
  });

  it('filters the projects with /, and escape clears the filter', async () => {
    const t = open(createFakeDomain());
    await ready(t);
    await t.press('/');
    await t.type('gam');
    const filtered = await t.waitFor('filter: gam');
    expect(filtered).toContain('gamma-service');
    expect(filtered).not.toMatch(/^\W*beta/m);
    await t.press(KEYS.enter);
    await t.waitFor(/SESSIONS\s+gamma-service/);
    await t.press(KEYS.escape);
    await t.waitFor(/\bbeta\b/);
  });

  it('validates a new session name as it is typed and starts it with the agent arguments', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press('s');
    await t.type('bad!name');
    await t.waitFor('is not a valid session name');
    for (let i = 0; i < 8; i++) await t.press(KEYS.backspace);
    await t.type('review -- --model opus');
    await t.settle();
    expect(t.screen()).not.toContain('is not a valid session name');
    await t.press(KEYS.enter);
    await t.waitFor('Started review.');
    expect(domain.calls).toContain('start /home/dev/alpha review --model opus');
  });

  it('asks before stopping a session and does nothing on no', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press(KEYS.tab, 'x');
    await t.waitFor('Stop fix-login? The agent in it ends. (y/N)');
    await t.press('n');
    await t.waitFor('Nothing was changed.');
    expect(domain.calls.some((c) => c.startsWith('stop'))).toBe(false);
    await t.press('x', 'y');
    await t.waitFor('Stopped fix-login.');
    expect(domain.calls).toContain('stop /home/dev/alpha fix-login');
  });

  it('shows a session that starts waiting in the status line and marks it', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    const fix = domain.world.sessions['/home/dev/alpha']![0]!;
    domain.changeSession('/home/dev/alpha', { ...fix, state: 'waiting' }, 'working');
    await t.waitFor('alpha/fix-login is waiting for you');
    await t.waitFor('1 need you');
    // Looking at it clears the mark.
    await t.press(KEYS.tab);
    await t.press(KEYS.down, KEYS.up);
    await expect.poll(() => t.screen().includes('1 need you')).toBe(false);
  });

  it('reads the projects again on a Docker event, not on a timer', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    domain.world.projects.push({
      ...domain.world.projects[1]!,
      dir: '/home/dev/delta',
      id: 'd4',
      name: 'delta',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(t.screen()).not.toContain('delta');
    domain.engineEvent();
    await t.waitFor('delta');
  });

  it('looks again at a firewall that is still starting, since no Docker event will say when it is done', async () => {
    const domain = createFakeDomain();
    const answers = ['unprotected: starting', 'unprotected: starting', 'protected (14 names, 52 ranges)'];
    const asked: string[] = [];
    domain.firewallStatus = (dir) => {
      asked.push(dir);
      return Promise.resolve(answers[Math.min(asked.filter((d) => d === dir).length, answers.length) - 1]!);
    };
    const t = open(domain);
    await t.waitFor('unprotected: sta');
    await t.waitFor(/(?<!un)protected/, 5000);
    await expect.poll(() => t.screen().includes('unprotected: sta'), { timeout: 3000 }).toBe(false);
    const looks = asked.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(asked.length).toBe(looks); // once settled, nothing more is asked
  });

  it('shows a banner while Docker is away and reconnects when it is back', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    domain.setEngineDown(true);
    await t.waitFor('Docker Engine unreachable');
    domain.setEngineDown(false);
    await expect.poll(() => t.screen().includes('Docker Engine unreachable'), { timeout: 5000 }).toBe(false);
    expect(t.screen()).toContain('fix-login');
  });

  it('says the terminal is too small below 80x24 and comes back when it grows', async () => {
    const t = open(createFakeDomain(), { cols: 70, rows: 20 });
    await t.waitFor('The terminal is 70x20; the dashboard needs at least 80x24.');
    t.resize(80, 24);
    await ready(t);
  });

  it('lists every command of the key table in the help overlay', async () => {
    const t = open(createFakeDomain(), { cols: 120, rows: 40 });
    await ready(t);
    await t.press('?');
    const help = await t.waitFor('Keys');
    // A long description goes on over a second line: its start is on the first.
    for (const info of Object.values(COMMANDS)) expect(help).toContain(info.description.slice(0, 28));
    expect(help).toContain('open a shell in the worktree');
    await t.press('?');
    await t.waitFor('fix-login');
  });

  it('writes no colour at all under NO_COLOR', async () => {
    const domain = createFakeDomain();
    const t = open(domain, { cols: 80, rows: 24 }, plainTheme);
    const raw: string[] = [];
    t.stdout.on('data', () => undefined);
    const write = t.stdout.write.bind(t.stdout);
    t.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      raw.push(chunk.toString());
      return write(chunk, ...rest);
    }) as typeof t.stdout.write;
    await ready(t);
    // SGR colour codes: 30-37, 90-97 (foreground), 38;5 / 38;2 (extended).
    // eslint-disable-next-line no-control-regex -- escape codes are what this looks for
    expect(raw.join('')).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])(?:;[0-9;]*)?m/);
  });
});

describe('the allowlist editor', () => {
  it('shows the defaults, the project entries and the refused names', async () => {
    const t = open(createFakeDomain());
    await ready(t);
    await t.press('w');
    const screen = await t.waitFor('telemetry.example.net');
    expect(screen).toMatchSnapshot();
  });

  it('validates an entry as it is typed, then adds and applies it', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press('w');
    await t.waitFor('example.org');
    await t.press('a');
    await t.type('10.0.0.1');
    await t.waitFor('must be written as a CIDR range');
    for (let i = 0; i < 8; i++) await t.press(KEYS.backspace);
    await t.type('pypi.example.com');
    await t.settle();
    expect(t.screen()).not.toContain('CIDR range');
    await t.press(KEYS.enter);
    await t.waitFor('added pypi.example.com · firewall: protected');
    expect(domain.calls).toContain('allow add pypi.example.com');
    await t.waitFor('pypi.example.com');
  });

  it('allows a refused name with one key', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press('w');
    await t.waitFor('telemetry.example.net');
    await t.press(KEYS.tab, KEYS.enter);
    await t.waitFor('added telemetry.example.net');
    expect(domain.calls).toContain('allow add telemetry.example.net');
  });

  it('does not let a default be deleted one by one', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await ready(t);
    await t.press('w');
    await t.waitFor('api.anthropic.com');
    await t.press('x');
    await t.waitFor('Defaults are not edited one by one');
    expect(domain.calls.some((c) => c.startsWith('allow rm'))).toBe(false);
  });

  it('sends an outside change to the one policy review, which approves it only after a yes', async () => {
    const domain = createFakeDomain();
    domain.world.allowlist.pending = widening;
    const t = open(domain);
    await ready(t);
    await t.press('w');
    await t.waitFor('+ evil.example.com');
    await t.press('y');
    await t.waitFor('POLICY REVIEW');
    await t.waitFor('▲ allows evil.example.com');
    await t.press('y');
    await t.waitFor('Approve exactly this change and apply it?');
    await t.press('n');
    await t.waitFor('Not approved; nothing was changed.');
    expect(domain.calls.some((c) => c.startsWith('approve'))).toBe(false);
    await t.press('y');
    await t.waitFor('Approve exactly this change and apply it?');
    await t.press('y');
    await t.waitFor('Approved and applied');
    expect(domain.calls).toContain('approve /home/dev/alpha .claude/allowed-domains.txt');
  });

  it('goes back to the projects screen as it was on escape', async () => {
    const t = open(createFakeDomain());
    await ready(t);
    await t.press('j', 'j');
    await t.waitFor(/SESSIONS\s+gamma-service/);
    await t.press('w');
    await t.waitFor('REFUSED');
    await t.press(KEYS.escape);
    await t.waitFor(/SESSIONS\s+gamma-service/);
  });
});

describe('the cleanup screen', () => {
  it('lists what claude-tui made with size, project and use', async () => {
    const t = open(createFakeDomain(), { cols: 120, rows: 30 });
    await ready(t);
    await t.press('c');
    const screen = await t.waitFor('claude-tui-agent:0123456789ab');
    expect(screen).toMatchSnapshot();
  });

  it('filters the list with / and deletes only what is selected in it', async () => {
    const domain = createFakeDomain();
    const t = open(domain, { cols: 120, rows: 30 });
    await ready(t);
    await t.press('c');
    await t.waitFor('CLEANUP');
    await t.press('/');
    await t.type('beta');
    await t.press(KEYS.enter);
    const filtered = await t.waitFor('filter: beta · 2 things');
    expect(filtered).not.toContain('claude-tui-alpha-a1a1a1a1-home');
    await t.press(KEYS.space, 'x');
    await t.waitFor('Delete 1');
    await t.press('y');
    await t.waitFor('deleted 1');
    expect(domain.calls).toContain('remove claude-tui-beta-b2b2b2b2-home');
  });

  it('refuses to delete what is in use', async () => {
    const domain = createFakeDomain();
    const t = open(domain, { cols: 120, rows: 30 });
    await ready(t);
    await t.press('c');
    await t.waitFor('CLEANUP');
    await t.press('x');
    await t.waitFor('is in use; take the project down first');
    expect(domain.calls.some((c) => c.startsWith('remove'))).toBe(false);
  });

  it('needs a second, explicit yes for a volume with unmerged commits', async () => {
    const domain = createFakeDomain();
    const t = open(domain, { cols: 120, rows: 30 });
    await ready(t);
    await t.press('c');
    await t.waitFor('2 unmerged');
    await t.press('a');
    await t.waitFor('3 selected');
    await t.press('x');
    await t.waitFor('Delete 3');
    await t.press('y');
    await t.waitFor('may hold commits never merged back');
    await t.press('n');
    await t.waitFor('deleted 2');
    expect(domain.calls).toContain('remove claude-tui-beta-b2b2b2b2-home claude-tui-agent:0123456789ab');
    // Now only the git-session volume is left unused: delete it, saying yes twice.
    await t.press('a', 'x', 'y');
    await t.waitFor('may hold commits never merged back');
    await t.press('y');
    await t.waitFor('deleted 1');
    expect(domain.calls).toContain('remove claude-tui-beta-b2b2b2b2-git-s2 (discard unmerged)');
  });
});

/** The line of the screen marked as selected (›) in the projects list. */
const selectedProjectLine = (screen: string) => screen.split('\n').find((line) => /^› /.test(line));

/** The fake world with twenty more projects after the three, none of them up. */
function crowdedWorld() {
  const world = fakeWorld();
  for (let i = 0; i < 20; i++) {
    const name = `Proj-${String(i).padStart(2, '0')}`;
    world.projects.push({
      ...world.projects[1]!,
      dir: `/work/many/${name}`,
      id: `e${String(i).padStart(7, '0')}`,
      name,
      slug: name.toLowerCase(),
      volumes: [],
    });
  }
  return world;
}

describe('where the dashboard opens', () => {
  for (const size of [
    { cols: 80, rows: 24 },
    { cols: 120, rows: 40 },
  ]) {
    it(`selects the project holding the folder it was started in, scrolled into view (${size.cols} columns)`, async () => {
      const domain = createFakeDomain(crowdedWorld());
      const t = open(domain, size, colourTheme, '/work/many/Proj-17/src/deep');
      const screen = await t.waitFor(/SESSIONS\s+Proj-17/);
      expect(selectedProjectLine(screen)).toContain('Proj-17');
      // A Docker event reads the list again; the selection stays.
      domain.engineEvent();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(selectedProjectLine(await t.settle())).toContain('Proj-17');
    });
  }

  it('brings up with u a folder that only looks like a project', async () => {
    const world = fakeWorld();
    // What the host domain lists for a repository claude-tui has not met: a project that is down.
    world.projects.push({ ...world.projects[1]!, dir: '/home/dev/NewRepo', name: 'NewRepo', volumes: [] });
    const domain = createFakeDomain(world);
    const t = open(domain, { cols: 80, rows: 24 }, colourTheme, '/home/dev/NewRepo/lib');
    await t.waitFor(/SESSIONS\s+NewRepo/);
    expect(selectedProjectLine(t.screen())).toMatch(/NewRepo\s+down/);
    await t.press('u');
    await t.waitFor('/home/dev/NewRepo is up');
    expect(domain.calls).toContain('up /home/dev/NewRepo');
  });
});

/** The fake world with a mixed-case project and one whose folder is gone (listed last). */
function worldWithGoneFolder() {
  const world = fakeWorld();
  const exited = (name: string) => ({ name, state: 'exited', status: 'Exited (0) 3 days ago', image: 'img' });
  world.projects.push(
    {
      ...world.projects[0]!,
      dir: '/home/dev/MyApp',
      id: 'd4d4d4d4',
      name: 'MyApp',
      slug: 'myapp',
      volumes: ['claude-tui-myapp-d4d4d4d4-home'],
    },
    {
      dir: '/home/dev/OldThing',
      id: 'e5e5e5e5',
      name: 'OldThing',
      slug: 'oldthing',
      state: 'stopped',
      folderMissing: true,
      gateway: exited('claude-tui-oldthing-e5e5e5e5-gateway'),
      agent: exited('claude-tui-oldthing-e5e5e5e5-agent'),
      volumes: ['claude-tui-oldthing-e5e5e5e5-home', 'claude-tui-oldthing-e5e5e5e5-git-s1'],
      firewall: 'unknown: the gateway is not running',
    },
  );
  const gone = { projectDir: '/home/dev/OldThing', folderMissing: true, unmergedCommits: null };
  world.resources.push(
    {
      ...gone,
      kind: 'container',
      id: 'dead01',
      name: 'claude-tui-oldthing-e5e5e5e5-agent',
      role: 'agent',
      sizeBytes: 2048,
      inUse: true,
      usedBy: ['running'],
      usedOnlyByGoneProjects: true,
    },
    {
      ...gone,
      kind: 'volume',
      id: 'claude-tui-oldthing-e5e5e5e5-home',
      name: 'claude-tui-oldthing-e5e5e5e5-home',
      role: 'home',
      sizeBytes: 30_000_000,
      inUse: true,
      usedBy: ['claude-tui-oldthing-e5e5e5e5-agent'],
      usedOnlyByGoneProjects: true,
    },
    {
      ...gone,
      kind: 'volume',
      id: 'claude-tui-oldthing-e5e5e5e5-git-s1',
      name: 'claude-tui-oldthing-e5e5e5e5-git-s1',
      role: 'git-session',
      sizeBytes: 1_000_000,
      inUse: false,
      usedBy: [],
      unmergedCommits: 1,
      usedOnlyByGoneProjects: false,
    },
  );
  return world;
}

describe('names as spelled, and projects whose folder is gone', () => {
  for (const size of [
    { cols: 80, rows: 24 },
    { cols: 120, rows: 40 },
  ]) {
    it(`shows the folder's own spelling and marks a missing folder, listed last (${size.cols} columns)`, async () => {
      const t = open(createFakeDomain(worldWithGoneFolder()), size);
      await ready(t);
      await t.press('G');
      await t.waitFor(/SESSIONS\s+OldThing/);
      const screen = await t.settle();
      expect(screen).toMatch(/› \s*OldThing\s+folder missing/);
      expect(screen).toContain('its folder is gone');
      expect(screen).toMatchSnapshot();
    });
  }

  it('does not try to bring up a project whose folder is gone, and says what to do', async () => {
    const domain = createFakeDomain(worldWithGoneFolder());
    const t = open(domain);
    await ready(t);
    await t.press('G', 'u');
    await t.waitFor('/home/dev/OldThing no longer exists');
    expect(domain.calls.some((c) => c.startsWith('up'))).toBe(false);
  });

  for (const size of [
    { cols: 80, rows: 30 },
    { cols: 120, rows: 30 },
  ]) {
    it(`shows in cleanup what belongs to a project whose folder is gone (${size.cols} columns)`, async () => {
      const t = open(createFakeDomain(worldWithGoneFolder()), size);
      await ready(t);
      await t.press('c');
      await t.waitFor('CLEANUP  8 things');
      const screen = await t.settle();
      expect(screen).toMatch(/OldThing.*folder gone {2}1 unmerged/);
      expect(screen).toMatchSnapshot();
    });
  }

  it('selects with a what only a gone project uses, stops its container on a yes, and asks again for unmerged commits', async () => {
    const domain = createFakeDomain(worldWithGoneFolder());
    const t = open(domain, { cols: 120, rows: 30 });
    await ready(t);
    await t.press('c');
    await t.waitFor('CLEANUP');
    await t.press('a');
    // The three unused from before, and the gone project's container and both its volumes.
    await t.waitFor('6 selected');
    await t.press('x');
    await t.waitFor('Delete 6 (568 MB), stopping 1 running container? (y/N)');
    await t.press('y');
    await t.waitFor('may hold commits never merged back');
    await t.press('n');
    await t.waitFor('deleted 4');
    expect(domain.calls).toContain(
      'remove claude-tui-beta-b2b2b2b2-home claude-tui-agent:0123456789ab claude-tui-oldthing-e5e5e5e5-agent claude-tui-oldthing-e5e5e5e5-home',
    );
  });
});
