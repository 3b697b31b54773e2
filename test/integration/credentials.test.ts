import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, dockerAvailable, makeProject, runCli, testEnv, waitFor } from '../support/cli.js';
import { FAKE_AGENT_CONFIG } from '../support/project-files.js';
import { TerminalHarness } from '../support/terminal.js';

const engine = createDockerEngine();
// The fake agent prints 32 hex digits, so that its line fits an 80-column screen.
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** What the fake `setup-token` prints for a code: the code, then "x" up to 108 characters. */
const tokenFor = (code: string) => `sk-ant-oat01-${code}`.padEnd(108, 'x');

/** Every file under a folder, as text. */
function filesUnder(dir: string): string {
  let all = '';
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) all += readFileSync(join(entry.parentPath, entry.name), 'latin1');
  }
  return all;
}

describe.skipIf(!dockerAvailable())(
  'credentials (real Engine, the fake agent and its fake setup-token)',
  () => {
    let project: ProjectIdentity;
    let env: Record<string, string>;
    const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}) =>
      runCli(args, { env: { ...env, ...options.env }, ...(options.input ? { input: options.input } : {}) });
    const asRoot = (container: string, command: string[]) =>
      execText(engine, container, command, { user: 'root' });
    const asAgent = (command: string[]) =>
      execText(engine, project.names.agent, command, { user: 'claude', workingDir: '/workspace' });

    /** The containers' ids and start times: equal before and after, nothing was made anew. */
    const containersAsStarted = async () =>
      (
        await docker([
          'inspect',
          '--format',
          '{{.Id}} {{.State.StartedAt}}',
          project.names.agent,
          project.names.gateway,
        ])
      ).stdout;

    /** Starts a session and returns the credential lines the fake agent printed. */
    async function credentialsSeenBy(name: string): Promise<string[]> {
      const started = await cli(['start', project.dir, '--name', name]);
      expect(started.exitCode, started.stderr).toBe(0);
      const screen = await waitFor(`session ${name} to start`, async () => {
        const peek = await cli(['peek', name, '--project', project.dir]);
        return peek.stdout.includes('fake-agent ready') && peek.stdout;
      });
      return screen.split('\n').filter((line) => line.startsWith('credential:'));
    }

    beforeAll(async () => {
      env = { ...testEnv(), CLAUDE_TUI_LOG_LEVEL: 'debug' };
      project = makeProject('credentials');
      mkdirSync(join(project.dir, '.claude'));
      writeFileSync(join(project.dir, '.claude', 'claude-tui.yaml'), `${FAKE_AGENT_CONFIG.join('\n')}\n`);
      const up = await cli(['up', project.dir, '--yes']);
      expect(up.exitCode, up.stderr).toBe(0);
    });

    afterAll(async () => {
      await cli(['down', project.dir]);
    });

    it('logs in through a pty: the sign-in link shown, the code taken, the token caught, masked and stored', async () => {
      const token = tokenFor('code-4711');
      // A secret in the project: its shadow belongs to the project's agent, not to the login's.
      mkdirSync(join(project.dir, 'config'), { recursive: true });
      writeFileSync(join(project.dir, 'config', '.env'), 'SECRET=1\n');
      const term = new TerminalHarness(['login', '--project', project.dir], { cols: 100, rows: 30 }, env);
      await term.waitFor('Paste code here', 240_000);
      expect(term.screen()).toContain('https://claude.ai/oauth/authorize?code=true');
      // While it waits: the login's pair reaches Anthropic's names and nothing else.
      const pair = (
        await docker(['ps', '--format', '{{.Names}}', '--filter', 'name=claude-tui-login-'])
      ).stdout.split('\n');
      const gateway = pair.find((name) => name.endsWith('-gateway'))!;
      const agent = pair.find((name) => name.endsWith('-agent'))!;
      const policy = await asRoot(gateway, [
        'sh',
        '-c',
        'cat /etc/claude-tui/policy/domains.txt /etc/claude-tui/policy/cidrs4.txt',
      ]);
      expect(policy.stdout).toBe('anthropic.com\nclaude.ai\nclaude.com\n');
      expect((await asRoot(agent, ['getent', 'hosts', 'github.com'])).exitCode).not.toBe(0);
      expect((await asRoot(agent, ['cat', '/proc/1/environ'])).stdout).not.toContain('sk-ant');
      const mounts = (
        await docker(['inspect', '--format', '{{range .Mounts}}{{.Destination}} {{end}}', agent])
      ).stdout;
      expect(mounts).not.toContain('/workspace/config');
      term.write('code-4711\r');
      expect(await term.exitCode()).toBe(0);
      expect(term.raw).toContain('sk-ant-oat01-…xxxx');
      expect(term.raw).not.toContain(token);
      expect(term.raw).toContain(`for ${project.dir} only`);
      // Nothing of the login is left: its containers, network and home volume are gone.
      const left = await docker(['ps', '-a', '--format', '{{.Names}}']);
      expect(left.stdout).not.toMatch(/claude-tui-login-/);
      const volumes = await docker(['volume', 'ls', '--format', '{{.Name}}']);
      expect(volumes.stdout).not.toMatch(/claude-tui-login-/);
      expect((await docker(['network', 'ls', '--format', '{{.Name}}'])).stdout).not.toMatch(
        /claude-tui-login-/,
      );

      const secrets = join(env.CLAUDE_TUI_CONFIG_DIR!, 'secrets.json');
      expect(statSync(secrets).mode & 0o777).toBe(0o600);
      expect(readFileSync(secrets, 'utf8')).toContain(token);
      expect(readFileSync(join(env.CLAUDE_TUI_CONFIG_DIR!, 'config.json'), 'utf8')).not.toContain('sk-ant');

      const whoami = await cli(['whoami', '--project', project.dir]);
      expect(whoami.stdout).toContain(
        "Claude: Claude OAuth token sk-ant-oat01-…xxxx, this project's own, from claude-tui login",
      );
      expect(whoami.stdout).not.toContain(token);
    });

    it('takes the login pair down when the login is stopped by a signal', async () => {
      const term = new TerminalHarness(['login', '--project', project.dir], { cols: 100, rows: 30 }, env);
      await term.waitFor('Paste code here', 240_000);
      const pair = async () =>
        (await docker(['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=claude-tui-login-'])).stdout;
      expect(await pair()).toMatch(/-agent/);
      term.proc.kill('SIGTERM');
      expect(await term.exitCode()).toBe(143);
      expect(await pair()).toBe('');
      expect((await docker(['volume', 'ls', '--format', '{{.Name}}'])).stdout).not.toMatch(
        /claude-tui-login-/,
      );
    });

    it('gives the token to the agent alone: through a file descriptor, and nowhere else', async () => {
      const token = tokenFor('code-4711');
      expect(await credentialsSeenBy('s1')).toEqual([
        `credential: CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR sha256=${sha256(token)}`,
      ]);
      const places: Record<string, string> = {};
      for (const container of [project.names.agent, project.names.gateway]) {
        places[`inspect ${container}`] = (await docker(['inspect', container])).stdout;
        places[`/proc/1/environ of ${container}`] = (
          await asRoot(container, ['cat', '/proc/1/environ'])
        ).stdout;
      }
      const image = (await docker(['inspect', '--format', '{{.Config.Image}}', project.names.agent])).stdout;
      places['image history'] = (await docker(['history', '--no-trunc', image])).stdout;
      places['tmux global environment'] = (await asAgent(['tmux', 'show-environment', '-g'])).stdout;
      places['tmux session environment'] = (await asAgent(['tmux', 'show-environment', '-t', '=s1'])).stdout;
      places['home volume'] = (
        await asAgent(['grep', '-r', '-l', '-a', 'sk-ant-oat01', '/home/claude'])
      ).stdout;
      places['credential files left'] = (await asAgent(['find', '/run/claude-tui', '-type', 'f'])).stdout;
      places.transcript = (await cli(['logs', 's1', '--raw', '--project', project.dir])).stdout;
      places.workspace = filesUnder(project.dir);
      places['claude-tui log'] = readFileSync(
        join(env.XDG_STATE_HOME!, 'claude-tui', 'claude-tui.log'),
        'utf8',
      );
      for (const [place, text] of Object.entries(places)) expect(text, place).not.toContain(token);
      expect(places['credential files left']).not.toContain('credentials/');
      // The log was written (debug), so its having no token says something.
      expect(places['claude-tui log']).toContain('"message"');
    });

    it('does not follow a link the agent put in place of the credentials folder', async () => {
      const token = tokenFor('code-4711');
      await asAgent([
        'sh',
        '-c',
        'rm -rf /run/claude-tui/credentials && mkdir -p /workspace/leak && ln -s /workspace/leak /run/claude-tui/credentials',
      ]);
      expect(await credentialsSeenBy('hostile')).toEqual([
        `credential: CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR sha256=${sha256(token)}`,
      ]);
      expect(filesUnder(join(project.dir, 'leak'))).not.toContain(token);
      expect(readdirSync(join(project.dir, 'leak'))).toEqual([]);
      // The link was replaced by a folder of the tmpfs's own.
      const kind = await asAgent([
        'sh',
        '-c',
        'test -L /run/claude-tui/credentials && echo link || stat -c %F /run/claude-tui/credentials',
      ]);
      expect(kind.stdout.trim()).toBe('directory');
    });

    it("marks the agent's first-run wizard done when a token is given, keeping the person's settings", async () => {
      const config = JSON.parse((await asAgent(['cat', '/home/claude/.claude.json'])).stdout) as Record<
        string,
        unknown
      >;
      expect(config.hasCompletedOnboarding).toBe(true);
      await asAgent([
        'sh',
        '-c',
        `jq '.theme = "light"' ~/.claude.json > /tmp/c && cat /tmp/c > ~/.claude.json`,
      ]);
      await credentialsSeenBy('s2');
      const again = JSON.parse((await asAgent(['cat', '/home/claude/.claude.json'])).stdout) as Record<
        string,
        unknown
      >;
      expect(again).toMatchObject({ hasCompletedOnboarding: true, theme: 'light' });
    });

    it('a new token reaches the next session with no container recreated; the shared one applies without an own one', async () => {
      const before = await containersAsStarted();
      const newer = tokenFor('newer');
      const login = await cli(['login', '--project', project.dir, '--token-stdin'], { input: `${newer}\n` });
      expect(login.exitCode, login.stderr).toBe(0);
      expect(await credentialsSeenBy('s3')).toEqual([
        `credential: CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR sha256=${sha256(newer)}`,
      ]);
      expect(await containersAsStarted()).toBe(before);

      const shared = 'sk-ant-api03-' + 'k'.repeat(90);
      expect((await cli(['login', '--from-env'], { env: { ANTHROPIC_API_KEY: shared } })).exitCode).toBe(0);
      expect((await cli(['logout', '--project', project.dir])).exitCode).toBe(0);
      expect(await credentialsSeenBy('s4')).toEqual([
        `credential: CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR sha256=${sha256(shared)}`,
      ]);
      const whoami = await cli(['whoami', '--project', project.dir, '--json']);
      expect(JSON.parse(whoami.stdout)).toMatchObject({
        claude: {
          kind: 'claude-api-key',
          scope: 'all-projects',
          from: 'env:ANTHROPIC_API_KEY',
          masked: 'sk-ant-api03-…kkkk',
        },
        github: null,
      });
    });

    it('gives gh its token as GH_TOKEN only when the person stored one', async () => {
      const gh = 'ghp_' + 'g'.repeat(36);
      const login = await cli(['login', '--github', '--project', project.dir, '--token-stdin'], {
        input: gh,
      });
      expect(login.exitCode, login.stderr).toBe(0);
      const seen = await credentialsSeenBy('s5');
      expect(seen).toContain(`credential: GH_TOKEN sha256=${sha256(gh)}`);
      expect((await docker(['inspect', project.names.agent])).stdout).not.toContain(gh);
      expect((await asAgent(['tmux', 'show-environment', '-g'])).stdout).not.toContain(gh);
      expect((await cli(['logout', '--github', '--project', project.dir])).exitCode).toBe(0);
      expect((await credentialsSeenBy('s6')).some((line) => line.includes('GH_TOKEN'))).toBe(false);
    });

    it('keeps a login made inside a session (~/.claude/ and ~/.claude.json) across the containers being made anew', async () => {
      await asAgent([
        'sh',
        '-c',
        `echo '{"claudeAiOauth":{"accessToken":"inside"}}' > ~/.claude/.credentials.json && jq '.oauthAccount = {"emailAddress":"a@example.com"}' ~/.claude.json > /tmp/c && cat /tmp/c > ~/.claude.json`,
      ]);
      const before = (await docker(['inspect', '--format', '{{.Id}}', project.names.agent])).stdout;
      expect((await cli(['down', project.dir])).exitCode).toBe(0);
      expect((await cli(['up', project.dir])).exitCode).toBe(0);
      expect((await docker(['inspect', '--format', '{{.Id}}', project.names.agent])).stdout).not.toBe(before);
      expect((await asAgent(['cat', '/home/claude/.claude/.credentials.json'])).stdout).toContain('"inside"');
      const config = JSON.parse((await asAgent(['cat', '/home/claude/.claude.json'])).stdout) as Record<
        string,
        unknown
      >;
      expect(config.oauthAccount).toEqual({ emailAddress: 'a@example.com' });
    });

    it('reaches the real Claude Code, which reports itself logged in by the token from its file descriptor', async () => {
      const real = makeProject('credentials-real');
      try {
        const token = tokenFor('real');
        expect((await cli(['login', '--token-stdin'], { input: token })).exitCode).toBe(0);
        expect((await cli(['up', real.dir])).exitCode).toBe(0);
        const started = await cli(['start', real.dir, '--name', 'status', '--', 'auth', 'status']);
        expect(started.exitCode, started.stderr).toBe(0);
        const transcript = await waitFor('claude auth status to print', async () => {
          const logs = await cli(['logs', 'status', '--project', real.dir]);
          return logs.stdout.includes('authMethod') && logs.stdout;
        });
        expect(transcript).toMatch(/"loggedIn": true/);
        expect(transcript).toMatch(/"authMethod": "oauth_token"/);
        expect(transcript).not.toContain(token);
        // Interactive, it skips its first-run wizard (which greets with "Welcome to Claude Code"
        // and, here, fails to reach Anthropic) and goes straight to asking about the folder.
        expect((await cli(['start', real.dir, '--name', 'interactive'])).exitCode).toBe(0);
        const screen = await waitFor(
          'claude to ask about the folder',
          async () => {
            const logs = await cli(['logs', 'interactive', '--project', real.dir]);
            return logs.stdout.includes('Accessing workspace') && logs.stdout;
          },
          // It first waits for Anthropic's API, which cannot be reached here, for about 30 s.
          150_000,
        );
        expect(screen).not.toContain('Welcome to Claude Code');
      } finally {
        await cli(['down', real.dir]);
      }
    }, 240_000);

    it("runs headless (CI, no terminal) with a token brought for the run only, and the agent's exit code", async () => {
      const before = (await cli(['whoami', '--project', project.dir, '--json'])).stdout;
      const brought = tokenFor('for-ci');
      const run = await cli(['run', project.dir, '--token-stdin', '--', '-p', 'hi', '--exit', '3'], {
        input: brought,
        env: { CI: 'true' },
      });
      expect(run.exitCode, run.stderr).toBe(3);
      expect(run.stdout).toContain(
        `credential: CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR sha256=${sha256(brought)}`,
      );
      expect(run.stdout).toContain('answer: hi');
      const fromEnv = 'sk-ant-api03-' + 'e'.repeat(90);
      const envRun = await cli(['run', project.dir, '--from-env', '--', '-p', 'hi'], {
        env: { CI: 'true', ANTHROPIC_API_KEY: fromEnv },
      });
      expect(envRun.exitCode, envRun.stderr).toBe(0);
      expect(envRun.stdout).toContain(
        `credential: CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR sha256=${sha256(fromEnv)}`,
      );
      // Neither was stored.
      expect((await cli(['whoami', '--project', project.dir, '--json'])).stdout).toBe(before);
    });

    it('says what to do when there is no terminal, or the token is not one', async () => {
      const noTty = await cli(['login']);
      expect(noTty.exitCode).toBe(1);
      expect(noTty.stderr).toContain('--token-stdin');
      expect(noTty.stderr).not.toMatch(/\n\s+at /);
      const wrong = await cli(['login', '--token-stdin'], { input: 'not a token at all' });
      expect(wrong.exitCode).toBe(1);
      expect(wrong.stderr).toContain('does not look like a Claude token');
      const none = await cli(['login', '--from-env'], {
        env: { CLAUDE_CODE_OAUTH_TOKEN: '', ANTHROPIC_API_KEY: '' },
      });
      expect(none.exitCode).toBe(1);
      expect(none.stderr).toContain('CLAUDE_CODE_OAUTH_TOKEN');
    });
  },
);
