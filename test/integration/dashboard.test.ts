import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { managedLabels } from '../../src/docker/labels.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, dockerAvailable, makeProject, runCli } from '../support/cli.js';
import { FAKE_AGENT_CONFIG } from '../support/project-files.js';
import { TerminalHarness } from '../support/terminal.js';
import { buildTestHostsImage, startTestNetwork, type TestNetwork } from '../support/test-hosts.js';

const engine = createDockerEngine();

/** The line of the screen the dashboard marks as selected (›) that mentions `text`. */
const selectedLine = (screen: string, text: string) =>
  screen.split('\n').find((line) => line.includes('›') && line.includes(text));

let dash: TerminalHarness;
/** Types like a person: one character per read, so no two keys arrive as one. */
async function keys(text: string): Promise<void> {
  for (const key of text) {
    dash.write(key);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; screen:\n${dash?.screen()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!dockerAvailable())('the dashboard, end to end (built binary in a pty, real Engine)', () => {
  let net: TestNetwork;
  let project: ProjectIdentity;
  const volume = `ctui-dash-test-${process.pid}`;

  beforeAll(async () => {
    await buildTestHostsImage();
    net = await startTestNetwork(`ctui-test-dash-${process.pid}`, { blocked: ['blocked.test'] });
    project = makeProject('dashboard');
    mkdirSync(join(project.dir, '.claude'));
    writeFileSync(
      join(project.dir, '.claude', 'claude-tui.yaml'),
      [
        'firewall:',
        '  defaults: false',
        `  dnsUpstream: ${net.dnsIp}`,
        '  selfCheck: { blocked: [], allowed: [] }',
        `networks: [${net.name}]`,
        ...FAKE_AGENT_CONFIG,
        '',
      ].join('\n'),
    );
    writeFileSync(join(project.dir, '.claude', 'allowed-domains.txt'), '# the dashboard test\n');
    for (const path of ['.claude', '.claude/claude-tui.yaml', '.claude/allowed-domains.txt']) {
      chownSync(join(project.dir, path), 1234, 1234);
    }
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    // A volume of this project that nothing uses, for the cleanup screen to delete.
    const labels = managedLabels('home', { dir: project.dir, id: project.id });
    await engine.createVolume(volume, { ...labels, 'dev.claude-tui.role': 'session' });
    // As in a person's terminal: under CI=true the colour library would draw no inverse video, and
    // the focus shows only in that.
    dash = new TerminalHarness([], { cols: 120, rows: 40 }, { FORCE_COLOR: '1' });
  });

  afterAll(async () => {
    dash?.write('q');
    await dash?.exitCode().catch(() => dash.proc.kill());
    await runCli(['down', project.dir]);
    await docker(['volume', 'rm', volume], { reject: false });
    await net.remove();
  });

  it('says so, and exits 1, when there is no terminal to draw on', async () => {
    const result = await runCli([]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('The dashboard needs a terminal');
    expect(result.stderr).not.toMatch(/\bat \S+ \(/);
  });

  it('asks for a bigger terminal below 80x24 and draws when it grows', async () => {
    const small = new TerminalHarness([], { cols: 70, rows: 20 });
    await small.waitFor('the dashboard needs at least 80x24');
    small.resize(100, 30);
    await small.waitFor('claude-tui projects');
    small.write('q');
    expect(await small.exitCode()).toBe(0);
  });

  it('opens full screen and finds the project by its labels', async () => {
    await dash.waitForRaw('\x1b[?1049h');
    await dash.waitFor('claude-tui projects');
    // Other projects may be up on this Engine: narrow the list to this one, once it is read (on a
    // busy machine a key typed before then could meet a screen not yet listening).
    await dash.waitFor(/\d+ projects?, \d+ up/);
    await keys('/');
    await dash.waitFor('filter projects:');
    await keys(basename(project.dir));
    await keys('\r');
    await dash.waitFor(`filter: ${basename(project.dir)}`);
    await dash.waitFor(/up\s+protected/);
    await dash.waitFor('no sessions: s starts one');
    // Read, not assumed: a project with no session at all still gets its (empty) list.
    await dash.waitFor(/up\s+protected\s+0 sess/);
  });

  it('starts a session with the fake agent and shows its screen in the preview', async () => {
    await keys('s');
    await dash.waitFor('enter ok');
    await keys('e2e -- --model test');
    await keys('\r');
    await dash.waitFor('Started e2e');
    await dash.waitFor('fake-agent ready (args: --model test)', 30_000);
  });

  it('attaches with Enter, passes typing through, and detaches back to the dashboard as it was', async () => {
    await keys('\t');
    // The focus has moved to the sessions when their selected row is drawn in inverse video.
    await waitUntil(() => dash.showsInverse('›', 'e2e'));
    const attachedFrom = dash.raw.length;
    await keys('\r');
    // tmux draws the session's own screen: its text arrives after the Enter.
    await waitUntil(() => dash.raw.slice(attachedFrom).includes('fake-agent ready'));
    await keys('hello from the dashboard\r');
    await dash.waitFor('you said: hello from the dashboard');
    await keys('\x11');
    await dash.waitFor('Detached from e2e; it keeps running.');
    // As it was: the same filter, the same session selected (the frame may still be arriving).
    await dash.waitFor(`filter: ${basename(project.dir)}`);
    await waitUntil(() => dash.showsInverse('›', 'e2e'));
    // The preview shows what was typed while attached: the session went on without us.
    await dash.waitFor('you said: hello from the dashboard');
    const sessions = JSON.parse((await runCli(['sessions', project.dir, '--json'])).stdout) as {
      name: string;
      running: boolean;
    }[];
    expect(sessions.find((s) => s.name === 'e2e')?.running).toBe(true);
  });

  it('adds a domain in the allowlist editor and the gateway lets the agent reach it', async () => {
    const fetchFromAgent = () =>
      runCli(['exec', project.dir, '--', 'curl', '-sS', '--max-time', '5', 'http://blocked.test/']);
    const before = await fetchFromAgent();
    expect(before.exitCode).toBe(6);
    await keys('w');
    await dash.waitFor('ALLOWED');
    await keys('a');
    await dash.waitFor('enter ok');
    await keys('blocked.test');
    await keys('\r');
    await dash.waitFor('added blocked.test · firewall: protected');
    const after = await fetchFromAgent();
    expect(after.stdout.trim()).toBe('hello from blocked');
    await keys('\x1b');
    await dash.waitFor(/SESSIONS\s+/);
  });

  it('deletes a volume from the cleanup screen after a yes', async () => {
    await keys('c');
    await dash.waitFor('CLEANUP');
    await keys('/');
    await dash.waitFor('filter (name, kind, project):');
    await keys(volume);
    await keys('\r');
    await dash.waitFor(`filter: ${volume} · 1 thing claude-tui made`);
    await keys(' ');
    await keys('x');
    await dash.waitFor('Delete 1');
    await keys('y');
    await dash.waitFor('deleted 1');
    expect(await engine.inspectVolume(volume)).toBeUndefined();
  });

  it('quits on q, leaves the alternate screen, and the session keeps running', async () => {
    // Escape clears the cleanup filter first, then leaves the screen.
    await keys('\x1b');
    await dash.waitFor(/CLEANUP\s+\d+ things/);
    await keys('\x1b');
    await dash.waitFor('claude-tui projects');
    await keys('q');
    expect(await dash.exitCode()).toBe(0);
    expect(dash.raw).toContain('\x1b[?1049l');
    const sessions = JSON.parse((await runCli(['sessions', project.dir, '--json'])).stdout) as {
      name: string;
      running: boolean;
    }[];
    expect(sessions.find((s) => s.name === 'e2e')?.running).toBe(true);
  });

  it('opens on the project it was started in, below its folder, with the name as the folder spells it', async () => {
    // Two more projects known by their labels, one with a mixed-case folder (its Docker names are
    // lower case) that sorts after the others, so that it is not selected by being first.
    const mixed = makeProject('zz-MixedCase');
    const other = makeProject('other');
    const volumes = [mixed, other].map((p) => `${p.names.homeVolume}-where`);
    await engine.createVolume(volumes[0]!, managedLabels('home', mixed));
    await engine.createVolume(volumes[1]!, managedLabels('home', other));
    const below = join(mixed.dir, 'src', 'deep');
    mkdirSync(below, { recursive: true });
    // A folder on the way that looks like a project of its own: the known project still wins.
    mkdirSync(join(mixed.dir, 'src', '.claude'));
    const here = new TerminalHarness([], { cols: 120, rows: 40 }, {}, below);
    try {
      await here.waitFor(`SESSIONS  ${basename(mixed.dir)}`);
      expect(basename(mixed.dir)).toMatch(/^zz-MixedCase-/);
      // The row has room for the name's start only. The header and the row come in one frame, but
      // the terminal may have read only part of it when the header shows, so wait for the row too.
      await here.waitFor(/›[^\n]*zz-MixedCase-/);
      expect(here.screen()).not.toMatch(/^ {2}src\s+down/m);
      // Among several: this test's other projects are listed too, not selected.
      await here.waitFor(basename(other.dir));
      await here.waitFor(basename(project.dir));
      expect(selectedLine(here.screen(), basename(other.dir))).toBeUndefined();
    } finally {
      here.write('q');
      await here.exitCode().catch(() => here.proc.kill());
      for (const name of volumes) await docker(['volume', 'rm', name], { reject: false });
    }
  });

  it('lists a repository it has not met, when started in it, as a project to bring up', async () => {
    const repo = makeProject('NewRepo');
    mkdirSync(join(repo.dir, '.git'));
    mkdirSync(join(repo.dir, 'lib'));
    const here = new TerminalHarness([], { cols: 120, rows: 40 }, {}, join(repo.dir, 'lib'));
    try {
      await here.waitFor(`SESSIONS  ${basename(repo.dir)}`);
      await here.waitFor(new RegExp(`›[^\\n]*${basename(repo.dir)}[^\\n]*down`));
      await here.waitFor('the project is down: u brings it up');
    } finally {
      here.write('q');
      await here.exitCode().catch(() => here.proc.kill());
    }
    // Only listed: opening the dashboard in it remembers nothing.
    const list = (
      JSON.parse((await runCli(['ls', '--json'])).stdout) as { engines: { projects: { dir: string }[] }[] }
    ).engines[0]!.projects;
    expect(list.some((p) => p.dir === repo.dir)).toBe(false);
  });
});
