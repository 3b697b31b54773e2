import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { dockerAvailable } from '../support/cli.js';
import { asAgent, gitCli as cli, gitHome as home, gitTestProject, hostGit } from '../support/git-project.js';
import { TerminalHarness } from '../support/terminal.js';

const engine = createDockerEngine();

describe.skipIf(!dockerAvailable())(
  'the merge screen, end to end (built binary in a pty, real Engine and git)',
  () => {
    let project: ProjectIdentity;
    let dash: TerminalHarness | undefined;

    beforeAll(async () => {
      project = await gitTestProject('dashmerge', { 'readme.txt': 'hello\n' });
      expect((await cli(['up', project.dir, '--yes'])).exitCode).toBe(0);
      expect((await cli(['start', project.dir, '--git', '--name', 'm1'])).exitCode).toBe(0);
      await asAgent(
        engine,
        project,
        'm1',
        'echo one > one.txt && git add one.txt && git commit -qm "add one" && echo two > two.txt && git add two.txt && git commit -qm "add two"',
      );
    });

    afterAll(async () => {
      dash?.proc.kill();
      await cli(['down', project.dir]);
    });

    it('shows the git session with its counts, opens the merge screen on m, and lands one picked commit', async () => {
      dash = new TerminalHarness([], { cols: 120, rows: 40 }, { HOME: home, FORCE_COLOR: '1' }, project.dir);
      await dash.waitFor(/m1\s+idle\s+git/);
      await dash.waitFor('2 ahead, 0 landed', 20_000);
      dash.write('\t');
      // The focus is on the sessions once the selected session's row is in inverse video.
      // The row itself (m1 and its state): the preview's title names m1 too, on the line of a
      // project's row, whose marker is inverse while the projects have the focus.
      await expect.poll(() => dash!.showsInverse('›', /m1\s+idle/), { timeout: 10_000 }).toBe(true);
      dash.write('m');
      await dash.waitFor('add two', 20_000);
      // Skip the newest: only the oldest lands.
      dash.write('j');
      await new Promise((resolve) => setTimeout(resolve, 100));
      dash.write(' ');
      await dash.waitFor(/\[ \][^\n]*add two/);
      dash.write('l');
      await dash.waitFor('(y/N)');
      dash.write('y');
      await dash.waitFor('Landed on main', 20_000);
      expect(await hostGit(project.dir, ['log', '--format=%s'])).toBe('add one\nstart');
      // Escape leaves the outcome, then the screen; back on the list, the counts are read again.
      dash.write('\x1b');
      await dash.waitFor('[=]');
      await new Promise((resolve) => setTimeout(resolve, 200));
      dash.write('\x1b');
      await dash.waitFor(/SESSIONS\s+dashmerge/);
      await dash.waitFor('2 ahead, 1 landed', 20_000);
    });
  },
);
