import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import type { SessionInfo } from '../../src/session/session-state.js';
import { gitSessionNames } from '../../src/session/session-target.js';
import { CLI, dockerAvailable, makeProject, runCli, testEnv, type CliResult } from '../support/cli.js';
import { gitHome, gitTestProject, hostGit } from '../support/git-project.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from '../support/project-files.js';

const engine = createDockerEngine();

/** `claude-tui run` as CI runs it: CI=true, no standard input at all, stdout and stderr pipes. */
function runHeadless(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, 'run', ...args], {
    env: { ...testEnv(), HOME: gitHome, CI: 'true', ...env },
    stdin: 'ignore',
    // Byte for byte: stdout must be the transcript and nothing more.
    stripFinalNewline: false,
    reject: false,
    timeout: 120_000,
  });
}

async function headless(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await runHeadless(args, env);
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1 };
}

describe.skipIf(!dockerAvailable())(
  'claude-tui run: headless sessions (real Engine, tmux, the fake agent)',
  () => {
    let project: ProjectIdentity;
    const sessions = async () =>
      JSON.parse((await runCli(['sessions', project.dir, '--json'])).stdout) as SessionInfo[];

    beforeAll(async () => {
      project = await gitTestProject('headless', { 'readme.txt': 'hello\n' });
      const up = await runCli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
    });

    afterAll(async () => {
      await runCli(['down', project.dir]);
    });

    it("prints the agent's answer on stdout, and nothing else there, and exits with its code", async () => {
      const ok = await headless([project.dir, '--', '-p', 'hello there']);
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.stdout).toBe('answer: hello there\n');
      expect(ok.stderr).toContain('waiting for it to end');
      expect(ok.stderr).toMatch(/the agent exited with code 0/);

      const failed = await headless([project.dir, '--name', 'fails', '--', '-p', 'no good', '--exit', '3']);
      expect(failed.exitCode, failed.stderr).toBe(3);
      expect(failed.stdout).toBe('answer: no good\n');
      expect(failed.stderr).toContain('fails: the agent exited with code 3');
    });

    it('stays listed once ended, with its exit code, and `logs` prints it again', async () => {
      const listed = (await sessions()).find((s) => s.name === 'fails');
      expect(listed).toMatchObject({ running: false, state: 'exited', exitCode: 3 });
      const logs = await runCli(['logs', 'fails', '--project', project.dir]);
      expect(logs.stdout).toBe('answer: no good');
    });

    it('prints a long answer whole: far more than a screen, and a line far wider than the pane', async () => {
      const wide = `{"text":"${'word '.repeat(100)}"}`;
      const result = await headless([
        project.dir,
        '--',
        '-p',
        `sh seq 1 5000; printf '%s\\n' '${wide}'; echo last line`,
      ]);
      expect(result.exitCode, result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines.slice(0, 5000)).toEqual(Array.from({ length: 5000 }, (_, i) => String(i + 1)));
      expect(lines.slice(5000)).toEqual([wide, 'last line', '']);
    });

    it('gives the pane 200x50 with no terminal, or COLUMNS x LINES when set', async () => {
      expect((await headless([project.dir, '--', '-p', 'sh stty size'])).stdout).toBe('50 200\n');
      expect(
        (await headless([project.dir, '--', '-p', 'sh stty size'], { COLUMNS: '132', LINES: '43' })).stdout,
      ).toBe('43 132\n');
    });

    it('prints the result as JSON with --json', async () => {
      const result = await headless([
        project.dir,
        '--json',
        '--name',
        'as-json',
        '--',
        '-p',
        'data',
        '--exit',
        '5',
      ]);
      expect(result.exitCode).toBe(5);
      expect(JSON.parse(result.stdout)).toMatchObject({
        session: 'as-json',
        kind: 'workspace',
        exitCode: 5,
        interrupted: false,
        transcript: 'answer: data\n',
      });
    });

    it('on Ctrl+C stops the session, still prints what it printed, and exits 130', async () => {
      const run = runHeadless([project.dir, '--name', 'interrupted', '--', '-p', 'sh echo begun; sleep 60']);
      let stderr = '';
      run.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      while (!stderr.includes('waiting for it to end')) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 1000));
      const interruptedAt = Date.now();
      run.kill('SIGINT');
      const result = await run;
      expect(Date.now() - interruptedAt).toBeLessThan(10_000);
      expect(result.exitCode, stderr).toBe(130);
      expect(String(result.stdout)).toBe('begun\n');
      expect(stderr).toContain('Stopping interrupted');
      expect((await sessions()).find((s) => s.name === 'interrupted')).toMatchObject({
        running: false,
        exitCode: null,
      });
    });

    it('runs a git session with --git and leaves its clone, saying how to see and merge it', async () => {
      const commit = "sh echo more >> readme.txt && git commit -qam 'agent work' && echo committed";
      const result = await headless([project.dir, '--git', '--name', 'ci-git', '--', '-p', commit]);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe('committed\n');
      expect(result.stderr).toContain(`claude-tui log ci-git --project ${project.dir}`);
      expect(result.stderr).toContain(`claude-tui merge ci-git --project ${project.dir}`);
      expect(await engine.inspectVolume(gitSessionNames(project, 'ci-git').volume)).toBeDefined();
      const log = await runCli(['log', 'ci-git', '--project', project.dir, '--json'], {
        env: { HOME: gitHome },
      });
      expect((JSON.parse(log.stdout) as { subject: string }[]).map((c) => c.subject)).toEqual(['agent work']);
      // The host's tree is as it was: the work waits in the clone.
      expect(await hostGit(project.dir, ['status', '--porcelain'])).toBe('');
    });

    it("merges the agent's hooks again after settings.json changed, and only then", async () => {
      const asClaude = async (script: string) =>
        (await execText(engine, project.names.agent, ['bash', '-c', script], { user: 'claude' })).stdout;
      const settings = '~/.claude/settings.json';
      const identity = `stat -c '%i %Y' ${settings}`;
      const before = await asClaude(identity);
      expect((await headless([project.dir, '--', '-p', 'unchanged'])).exitCode).toBe(0);
      expect(await asClaude(identity)).toBe(before);
      // The agent (or the person) rewrites it: its own hook in, ours out.
      await asClaude(
        `echo '{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"echo mine"}]}]}}' > ${settings}`,
      );
      expect((await headless([project.dir, '--', '-p', 'changed'])).exitCode).toBe(0);
      const commands = JSON.parse(await asClaude(`cat ${settings}`)) as {
        hooks: Record<string, { hooks: { command: string }[] }[]>;
      };
      const stop = commands.hooks.Stop!.flatMap((entry) => entry.hooks.map((hook) => hook.command));
      expect(stop).toEqual(['echo mine', '/usr/local/lib/claude-tui/session hook idle']);
    });

    it('says clearly that a project is not up, and exits 1', async () => {
      const down = makeProject('headless-down');
      writePolicyFiles(down, { config: `${FAKE_AGENT_CONFIG.join('\n')}\n`, allowlist: '' });
      const result = await headless([down.dir, '--', '-p', 'hello']);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`The project ${down.dir} is not up.`);
      expect(result.stderr).toContain(`claude-tui up ${down.dir}`);
    });
  },
);
