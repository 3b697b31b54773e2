import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { dockerAvailable, makeProject, runCli } from '../support/cli.js';
import { writePolicyFiles } from '../support/project-files.js';
import { TerminalHarness } from '../support/terminal.js';

const engine = createDockerEngine();
const fakeAgentDir = fileURLToPath(new URL('../fixtures/fake-agent', import.meta.url));
const home = mkdtempSync('/tmp/claude-tui-git-home-');
writeFileSync(
  join(home, '.gitconfig'),
  '[safe]\n\tdirectory = *\n[user]\n\tname = Host Person\n\temail = person@example.test\n[init]\n\tdefaultBranch = main\n',
);
const cli = (args: string[]) => runCli(args, { env: { HOME: home } });
const hostGit = async (dir: string, args: string[]) =>
  (await execa('git', ['-C', dir, ...args], { env: { HOME: home, LC_ALL: 'C' } })).stdout;

describe.skipIf(!dockerAvailable())(
  'the merge screen, end to end (built binary in a pty, real Engine and git)',
  () => {
    let project: ProjectIdentity;
    let dash: TerminalHarness | undefined;

    beforeAll(async () => {
      project = makeProject('dashmerge');
      writePolicyFiles(project, {
        config: [
          'firewall:',
          '  defaults: false',
          '  selfCheck: { blocked: [], allowed: [] }',
          'agent:',
          '  command: /opt/fake-agent/fake-agent',
          'mounts:',
          `  - { source: ${fakeAgentDir}, target: /opt/fake-agent }`,
          '',
        ].join('\n'),
        allowlist: '# none\n',
      });
      await hostGit(project.dir, ['init', '-q']);
      writeFileSync(join(project.dir, 'readme.txt'), 'hello\n');
      await hostGit(project.dir, ['add', '-A']);
      await hostGit(project.dir, ['commit', '-qm', 'start']);
      expect((await cli(['up', project.dir, '--yes'])).exitCode).toBe(0);
      expect((await cli(['start', project.dir, '--git', '--name', 'm1'])).exitCode).toBe(0);
      const names = gitSessionNames(project, 'm1');
      const made = await execText(
        engine,
        names.container,
        [
          'bash',
          '-c',
          'echo one > one.txt && git add one.txt && git commit -qm "add one" && echo two > two.txt && git add two.txt && git commit -qm "add two"',
        ],
        { user: 'claude', workingDir: names.workdir },
      );
      expect(made.exitCode, made.stderr).toBe(0);
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
      await dash.waitFor(/›[^\n]*m1/);
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
