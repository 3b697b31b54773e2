import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { projectStateDir } from '../../src/project/project-state-dir.js';
import { followScreen } from '../../src/session/follow-screen.js';
import type { SessionInfo } from '../../src/session/session-state.js';
import { RESET_TERMINAL_MODES } from '../../src/session/terminal-modes.js';
import { SESSION_SCRIPT } from '../../src/session/sessions.js';
import { followSessions, watchSessions } from '../../src/session/watch-sessions.js';
import { dockerAvailable, makeProject, runCli, testEnv, waitFor } from '../support/cli.js';
import { TerminalHarness } from '../support/terminal.js';
import { execText } from '../../src/docker/exec.js';
import { workspaceTarget } from '../../src/session/session-target.js';

const engine = createDockerEngine();
const fakeAgentDir = fileURLToPath(new URL('../fixtures/fake-agent', import.meta.url));

/** A local HTTP server standing in for the webhook and for Twilio's API: it records requests. */
async function recorder(): Promise<{
  server: Server;
  url: string;
  requests: { path: string; auth: string; body: string }[];
}> {
  const requests: { path: string; auth: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', auth: req.headers.authorization ?? '', body });
      res.writeHead(req.url?.includes('/Messages.json') ? 201 : 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe.skipIf(!dockerAvailable())('agent sessions (real Docker Engine, tmux and pty; a fake agent)', () => {
  let project: ProjectIdentity;
  let hooks: Awaited<ReturnType<typeof recorder>>;
  let env: Record<string, string>;
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, { env: { ...env, ...extra } });
  const attach = (name: string, size = { cols: 100, rows: 30 }) =>
    new TerminalHarness(['attach', name, '--project', project.dir], size, env);
  const sessions = async () =>
    JSON.parse((await cli(['sessions', project.dir, '--json'])).stdout) as SessionInfo[];
  const sendKeys = (name: string, keys: string) =>
    execText(engine, project.names.agent, ['tmux', 'send-keys', '-t', `=${name}:`, keys, 'Enter'], {
      user: 'claude',
    });

  beforeAll(async () => {
    hooks = await recorder();
    const config = mkdtempSync(join('/tmp', 'claude-tui-sessions-config-'));
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({
        githubMeta: false,
        selfCheck: { blocked: [], allowed: [] },
        notifications: { webhook: `${hooks.url}/hook`, desktop: false },
      }),
    );
    env = {
      ...testEnv(),
      CLAUDE_TUI_CONFIG_DIR: config,
      TWILIO_ACCOUNT_SID: 'ACtest',
      TWILIO_AUTH_TOKEN: 'secret-token',
      TWILIO_FROM: '+15550000001',
      TWILIO_TO: '+15550000002',
      TWILIO_API_BASE: hooks.url,
    };
    project = makeProject('sessions');
    mkdirSync(join(project.dir, '.claude'));
    writeFileSync(
      join(project.dir, '.claude', 'claude-tui.yaml'),
      `agent:\n  command: /opt/fake-agent/fake-agent\nmounts:\n  - { source: ${fakeAgentDir}, target: /opt/fake-agent }\n`,
    );
    // The agent command and the mount widen the agent's rights: they run once approved (--yes).
    expect((await cli(['up', project.dir, '--yes'])).exitCode).toBe(0);
    const start = await cli(['start', project.dir, '--name', 'main', '--', '--model', 'test']);
    expect(start.stdout).toContain('Started session main (/opt/fake-agent/fake-agent --model test)');
  });

  afterAll(async () => {
    await cli(['down', project.dir]);
    hooks.server.close();
  });

  it('lists a started session with its state and where the state came from', async () => {
    const main = await waitFor('the fake agent to reach its prompt', async () =>
      (await sessions()).find((s) => s.name === 'main' && s.state === 'idle'),
    );
    expect(main).toMatchObject({ running: true, source: 'hook', exitCode: null });
  });

  it('rejects a bad or duplicate session name', async () => {
    const bad = await cli(['start', project.dir, '--name', 'no spaces']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('not a valid session name');
    const duplicate = await cli(['start', project.dir, '--name', 'main']);
    expect(duplicate.exitCode).toBe(1);
    expect(duplicate.stderr).toContain('already running');
  });

  it('attaches, passes typing through, and detaches on Ctrl+Q with the terminal restored', async () => {
    const term = attach('main');
    await term.waitFor('fake-agent ready (args: --model test)');
    term.write('hello\r');
    await term.waitFor('you said: hello');
    term.write('\x11');
    expect(await term.exitCode()).toBe(0);
    expect(term.raw).toContain(RESET_TERMINAL_MODES);
    await term.waitFor('Detached from main; it keeps running');
    expect((await sessions()).find((s) => s.name === 'main')?.running).toBe(true);
  });

  it('passes Ctrl+P on at once (the Engine would hold it back as the start of its own detach keys)', async () => {
    const term = attach('main');
    await term.waitFor('you said: hello');
    term.write('\x10');
    await term.waitFor(/> \^P$/m, 2000);
    term.write('\x15\x11');
    expect(await term.exitCode()).toBe(0);
  });

  it('detaches on the CSI-u and modifyOtherKeys forms too, and on the key inside a longer read', async () => {
    for (const key of ['\x1b[113;5u', '\x1b[113;5:1u', '\x1b[27;5;113~', 'typed-before\x11']) {
      const term = attach('main');
      await term.waitFor('you said: hello');
      term.write(key);
      expect(await term.exitCode(), JSON.stringify(key)).toBe(0);
    }
    const term = attach('main');
    await term.waitFor('you said: hello');
    term.write('\r');
    await term.waitFor('you said: typed-before');
    term.write('\x11');
    await term.exitCode();
  });

  it('shows the earlier screen at once on reattach, and follows resizes', async () => {
    const term = attach('main', { cols: 100, rows: 30 });
    await term.waitFor('you said: hello', 5000);
    term.write('size\r');
    await term.waitFor('size: 30 100');
    term.resize(90, 25);
    await new Promise((resolve) => setTimeout(resolve, 300));
    term.write('size\r');
    await term.waitFor('size: 25 90');
    term.write('\x11');
    await term.exitCode();
  });

  it('works with two viewers at once', async () => {
    const one = attach('main');
    const two = attach('main');
    await one.waitFor('>');
    await two.waitFor('>');
    one.write('from-one\r');
    await two.waitFor('you said: from-one');
    one.write('\x11');
    two.write('\x11');
    expect(await one.exitCode()).toBe(0);
    expect(await two.exitCode()).toBe(0);
  });

  it('keeps the session when the CLI is killed with SIGKILL', async () => {
    const term = attach('main');
    await term.waitFor('>');
    term.proc.kill('SIGKILL');
    await term.exit;
    expect((await sessions()).find((s) => s.name === 'main')?.running).toBe(true);
    const again = attach('main');
    again.write('still-here\r');
    await again.waitFor('you said: still-here');
    again.write('\x11');
    expect(await again.exitCode()).toBe(0);
  });

  it('moves working -> waiting -> done, and notifies a webhook and the SMS API', async () => {
    expect((await cli(['start', project.dir, '--name', 'notify'])).exitCode).toBe(0);
    await waitFor('the new session to be idle', async () =>
      (await sessions()).find((s) => s.name === 'notify' && s.state === 'idle'),
    );
    await sendKeys('notify', 'busy 4');
    await waitFor('working', async () =>
      (await sessions()).find((s) => s.name === 'notify' && s.state === 'working'),
    );
    await sendKeys('notify', 'ask');
    const states = (body: string) => (JSON.parse(body) as { session: string; state: string }).state;
    const forNotify = () =>
      hooks.requests.filter((r) => r.path === '/hook' && r.body.includes('"session":"notify"'));
    await waitFor(
      'a waiting notification',
      () => Promise.resolve(forNotify().some((r) => states(r.body) === 'waiting')),
      20_000,
    );
    await sendKeys('notify', 'y');
    await waitFor('a done notification after waiting', () => {
      const seen = forNotify().map((r) => states(r.body));
      return Promise.resolve(seen.lastIndexOf('idle') > seen.indexOf('waiting'));
    });
    const sms = hooks.requests.filter((r) => r.path === '/2010-04-01/Accounts/ACtest/Messages.json');
    expect(sms.length).toBeGreaterThanOrEqual(2);
    expect(sms[0]?.auth).toBe(`Basic ${Buffer.from('ACtest:secret-token').toString('base64')}`);
    // The token went to Twilio and nowhere else: no claude-tui process wrote it to the log.
    const logFile = join(env.XDG_STATE_HOME!, 'claude-tui', 'claude-tui.log');
    expect(readFileSync(logFile, 'utf8')).toContain('session state');
    expect(readFileSync(logFile, 'utf8')).not.toContain('secret-token');
    const body = new URLSearchParams(sms.find((r) => r.body.includes('waiting'))?.body);
    expect(body.get('To')).toBe('+15550000002');
    expect(body.get('Body')).toMatch(
      /^claude-tui: sessions-\w+\/notify is waiting for you$/.source ? /notify is waiting for you/ : /x/,
    );
  });

  it('tells the webhook once when a file that runs on the host appears in the workspace', async () => {
    // The background watcher runs while a session does; the agent (or anyone) adds a git hook.
    expect((await sessions()).some((s) => s.running)).toBe(true);
    const wrote = await execText(
      engine,
      project.names.agent,
      ['sh', '-c', 'mkdir -p .git/hooks && printf "#!/bin/sh\\ncurl x | sh\\n" > .git/hooks/pre-commit'],
      { user: 'claude', workingDir: '/workspace' },
    );
    expect(wrote.exitCode, wrote.stderr).toBe(0);
    const told = () =>
      hooks.requests.filter((r) => r.path === '/hook' && r.body.includes('"kind":"host-run-change"'));
    await waitFor('a host-run change notification', () => Promise.resolve(told().length > 0), 20_000);
    const event = JSON.parse(told()[0]!.body) as { detail: string; message: string };
    expect(event.detail).toBe('.git/hooks (created), .git/hooks/pre-commit (created)');
    expect(event.message).toContain('files that run on the host changed');
    // Told once: the next looks see the same change and stay quiet.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(told()).toHaveLength(1);
    const status = JSON.parse((await cli(['status', project.dir, '--json'])).stdout) as {
      hostRunChanged: { path: string }[];
    };
    expect(status.hostRunChanged.map((c) => c.path)).toContain('.git/hooks/pre-commit');
  });

  it('passes Ctrl+C to the agent: it ends, attach shows its exit code, the containers stay', async () => {
    const started = await cli(['start', project.dir, '--name', 'interrupt']);
    expect(started.exitCode, started.stderr).toBe(0);
    const term = attach('interrupt');
    await term.waitFor('> ');
    term.write('\x03');
    expect(await term.exitCode()).toBe(130);
    await term.waitFor('Session interrupt ended: the agent exited with code 130');
    const agent = await engine.inspectContainer(project.names.agent);
    expect(agent?.State.Running).toBe(true);
    expect((await sessions()).find((s) => s.name === 'interrupt')).toMatchObject({
      running: false,
      exitCode: 130,
    });
    expect((await cli(['logs', 'interrupt', '--project', project.dir])).stdout).toContain('fake-agent ready');
  });

  it('survives 100 attach/detach cycles without losing a keystroke or leaving processes behind', async () => {
    const listClients = async () =>
      (
        await execText(engine, project.names.agent, ['tmux', 'list-clients', '-F', '#{client_tty}'], {
          user: 'claude',
        })
      ).stdout
        .split('\n')
        .filter(Boolean);
    const attachProcesses = async () =>
      (await execText(engine, project.names.agent, ['ps', '-eo', 'args'])).stdout
        .split('\n')
        .filter((line) => line.includes('attach-session'));
    const clientsBefore = await listClients();
    const attachesBefore = await attachProcesses();
    for (let i = 0; i < 100; i++) {
      const term = attach('main');
      // tmux switches to the alternate screen once attached: from then on every key is passed raw.
      await term.waitForRaw('\x1b[?1049h');
      term.write(`k${i}\r`);
      await term.waitFor(new RegExp(`^you said: k${i}$`, 'm'));
      term.write('\x11');
      expect(await term.exitCode()).toBe(0);
    }
    const transcript = (await cli(['logs', 'main', '--project', project.dir])).stdout;
    const echoed = [...transcript.matchAll(/you said: (k\d+)/g)].map((m) => m[1]);
    expect(echoed).toEqual(Array.from({ length: 100 }, (_, i) => `k${i}`));
    // Neither a docker CLI on the host nor a tmux client in the container outlives its attach.
    const { stdout: hostExecs } = await execa('sh', [
      '-c',
      `pgrep -fc "^docker exec -it .*${project.names.agent}" || true`,
    ]);
    expect(Number(hostExecs.trim())).toBe(0);
    expect(await listClients()).toEqual(clientsBefore);
    expect(await attachProcesses()).toEqual(attachesBefore);
  });

  it("follows states through the background watcher's feed, and no loop in the container outlives its reader", async () => {
    // Each loop is an exec: its process has no parent inside the container (its own subshells do).
    const loops = async () =>
      (await execText(engine, project.names.agent, ['ps', '-eo', 'ppid=,args='])).stdout
        .split('\n')
        .filter((line) => /^\s*0\s.*(session watch|follow-screen)/.test(line)).length;
    // `start` left one background watcher for the project, and it keeps the feed.
    const stateDir = projectStateDir(project, env);
    await waitFor('the feed', () => Promise.resolve(readdirSync(stateDir).includes('sessions.feed')));
    const baseline = await loops();

    const states: string[] = [];
    const follower = followSessions(engine, project, stateDir, (change) => {
      if (change.session.name === 'main') states.push(change.session.state);
    });
    const ownWatch = watchSessions(engine, project, () => undefined);
    const screens: string[] = [];
    const screen = followScreen(engine, workspaceTarget(project), 'main', (text) => screens.push(text));
    await waitFor('the preview', () => Promise.resolve(screens.length > 0));
    // The follower reads the feed: only the exec-based watcher and the preview add a loop.
    await waitFor('two more loops', async () => (await loops()) === baseline + 2);

    await sendKeys('main', 'busy 2');
    await waitFor('working, then idle again, heard from the feed', () =>
      Promise.resolve(states.includes('working') && states.at(-1) === 'idle'),
    );

    follower.stop();
    ownWatch.stop();
    screen.stop();
    // The Engine closes each exec's stdin when its connection ends; the loops check every 2 s.
    await waitFor('the loops to end', async () => (await loops()) === baseline, 10_000);
  });

  it('stops a session at once, agent and all, and its watchers hear of it without waiting for a look', async () => {
    // An agent that is no session leader of its own: it ends only when the wrapper hands on the hangup.
    const started = await execText(
      engine,
      project.names.agent,
      [SESSION_SCRIPT, 'start', 'short', '80', '24', '--', 'sleep', '1001'],
      { user: 'claude' },
    );
    expect(started.exitCode).toBe(0);
    const agents = async () =>
      (await execText(engine, project.names.agent, ['ps', '-eo', 'args='])).stdout
        .split('\n')
        .filter((line) => line === 'sleep 1001').length;
    const lists: SessionInfo[][] = [];
    const watcher = watchSessions(
      engine,
      project,
      () => undefined,
      (list) => lists.push(list),
    );
    try {
      await waitFor('the session running', () =>
        Promise.resolve(lists.at(-1)?.find((s) => s.name === 'short' && s.running)),
      );
      expect(await agents()).toBe(1);
      expect((await cli(['stop', 'short', '--project', project.dir])).exitCode).toBe(0);
      // The watcher also looks every ten seconds; the session's own mark makes it hear sooner.
      await waitFor(
        'the session ended',
        () => Promise.resolve(lists.at(-1)?.find((s) => s.name === 'short' && !s.running)),
        5_000,
      );
      expect(lists.at(-1)?.find((s) => s.name === 'short')).toMatchObject({
        state: 'exited',
        exitCode: null,
      });
      await waitFor('the agent gone', async () => (await agents()) === 0, 5_000);
    } finally {
      watcher.stop();
    }
  });

  it('logs prints the transcript as it was shown, at the width it was shown; --raw the bytes', async () => {
    const wide = 'w'.repeat(150);
    writeFileSync(
      join(project.dir, 'colours.txt'),
      `\x1b[1;31mred alert\x1b[0m and \x1b[32mgreen\x1b[0m\nfetch 10%\rfetch 55%\rfetch 100%\n${wide}\n`,
    );
    expect((await cli(['start', project.dir, '--name', 'colours'])).exitCode).toBe(0);
    await waitFor('the new session to be idle', async () =>
      (await sessions()).find((s) => s.name === 'colours' && s.state === 'idle'),
    );
    await sendKeys('colours', 'size');
    await sendKeys('colours', 'cat /workspace/colours.txt');
    const logs = (...flags: string[]) => cli(['logs', 'colours', ...flags, '--project', project.dir]);
    const sizes = async () =>
      (
        await execText(engine, project.names.agent, ['cat', '.claude-tui/sessions/colours/sizes'], {
          user: 'claude',
          workingDir: '/home/claude',
        })
      ).stdout;
    const shown = await waitFor('the output in the transcript', async () => {
      const result = await logs();
      return result.stdout.includes('fetch 100%') && result;
    });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('red alert and green');
    expect(shown.stdout).not.toContain('fetch 55%');
    expect(shown.stdout).not.toContain('\x1b');
    // The size the agent saw is the one recorded, and the long line wrapped at its width.
    const [, rows = '', cols = ''] = /^size: (\d+) (\d+)$/m.exec(shown.stdout) ?? [];
    expect((await sizes()).split('\n')[0]).toBe(`0 ${cols} ${rows}`);
    const width = Number(cols);
    expect(shown.stdout).toContain(`\n${'w'.repeat(width)}\n${'w'.repeat(150 - width)}\n`);
    const raw = await logs('--raw');
    expect(raw.stdout).toContain('\x1b[1;31mred alert\x1b[0m');
    expect(raw.stdout).toContain('fetch 55%\rfetch 100%');

    // A resize is recorded with where it fell in the transcript; an ended session still has its log.
    const term = attach('colours', { cols: 90, rows: 25 });
    await term.waitFor('red alert');
    term.write('\x11');
    expect(await term.exitCode()).toBe(0);
    // tmux runs its resize hook in the background.
    await waitFor('the resize recorded', async () => /\n[1-9]\d* 90 25\n/.test(await sizes()));
    expect((await cli(['stop', 'colours', '--project', project.dir])).exitCode).toBe(0);
    const ended = await logs();
    expect(ended.stdout).toContain('red alert and green');
    expect(ended.stdout).not.toContain('\x1b');
  });

  it('refuses to start a session while the firewall is not protected', async () => {
    // Where the gateway writes its status: its own file, and the copy on the host a start reads.
    const say = (status: string) =>
      execText(engine, project.names.gateway, [
        'sh',
        '-c',
        `echo "${status}" > /run/claude-tui/firewall-status; echo "${status}" > /var/lib/claude-tui-host/firewall-status`,
      ]);
    await say('unprotected: a test says so');
    try {
      const result = await cli(['start', project.dir, '--name', 'refused']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(
        "Not starting a session: the project's firewall is unprotected: a test says so",
      );
      // A host copy older than the gateway's start says nothing: the gateway itself is asked.
      await execText(engine, project.names.gateway, [
        'sh',
        '-c',
        'echo "protected: from an earlier run" > /var/lib/claude-tui-host/firewall-status && touch -d 2000-01-01 /var/lib/claude-tui-host/firewall-status',
      ]);
      const stale = await cli(['start', project.dir, '--name', 'refused']);
      expect(stale.exitCode).toBe(1);
      expect(stale.stderr).toContain('unprotected: a test says so');
    } finally {
      await cli(['allow', 'apply', project.dir]);
    }
  });
});
