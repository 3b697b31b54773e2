import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bridgeCallLogPath, bridgeRefusalLogPath, type BridgeCall } from '../../src/bridge/call-log.js';
import { encodeFrame, FRAME } from '../../src/bridge/frames.js';
import { bridgeRelayPaths, runningBridgeRelay } from '../../src/bridge/relay-files.js';
import { COMPOSE_PROJECT, COMPOSE_SERVICE } from '../../src/bridge/resolve-container.js';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { recentBridgeCalls } from '../../src/app/project-bridge.js';
import { lendBridge } from '../../src/project/lend-bridge.js';
import { projectStateDir } from '../../src/project/project-state-dir.js';
import { systemProcessRunner } from '../../src/system/process.js';
import { CLI, dockerAvailable, makeProject, runCli, testEnv, waitFor } from '../support/cli.js';
import { FAKE_AGENT_CONFIG, writePolicyFiles } from '../support/project-files.js';

const engine = createDockerEngine();
const tag = randomBytes(3).toString('hex');
/** The project's own compose project, and another one with a service of the same name. */
const compose = `ctuibridge${tag}`;
const other = `ctuiother${tag}`;
/** Hostnames take no underscore. */
const hostOf = (name: string) => name.replaceAll('_', '-');
const names = { a: `${compose}_a_1`, b: `${compose}_b_1`, c: `${compose}_c_1`, decoy: `${other}_a_1` };

/**
 * A compose project's container as Docker Compose makes one (its labels are all the bridge
 * reads), from the seeded base image, with no network.
 */
async function composeContainer(name: string, project: string, service: string, env: string[] = []) {
  await engine.removeContainer(name);
  await engine.createContainer(name, {
    Image: 'debian:bookworm-slim',
    Cmd: ['sleep', 'infinity'],
    Hostname: hostOf(name),
    Env: env,
    Labels: {
      [COMPOSE_PROJECT]: project,
      [COMPOSE_SERVICE]: service,
      'com.docker.compose.container-number': '1',
    },
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await engine.startContainer(name);
}

/** The project's .claude/bridge.yaml, as a person writes it. */
const bridgeYaml = (extra: Record<string, unknown> = {}) => ({
  version: 1,
  compose_project: compose,
  default_container: 'a',
  containers: {
    a: { service: 'a' },
    b: { service: 'b' },
    c: { service: 'c' },
    either: 'b',
    decoyByName: { container: names.decoy },
  },
  commands: {
    'sh-a': { exec: 'sh', workdir: '/srv', env: ['ALLOWED'] },
    'sh-b': { container: 'b', exec: 'sh' },
    'sh-either': { container: 'either', exec: 'sh' },
    'echo-a': { exec: 'echo' },
    'env-a': { exec: 'env', env: ['ALLOWED'] },
    'toor-a': { exec: 'id', user: 'toor' },
    // b has no `id` program: the root check must not need one.
    'toor-b': { container: 'b', exec: 'sh', user: 'toor' },
    // A uid with no passwd entry: Docker gives it group 0.
    'gid0-a': { exec: 'sh', user: '1235' },
    'sh-decoy': { container: 'decoyByName', exec: 'sh' },
    'sh-stopped': { container: 'c', exec: 'sh' },
    ...extra,
  },
});

/** Writes bridge.yaml in the workspace as the project's owner: a proposal until approved. */
function writeBridge(project: ProjectIdentity, bridge: object): void {
  const file = join(project.dir, '.claude', 'bridge.yaml');
  writeFileSync(file, stringify(bridge));
  chownSync(file, 1234, 1234);
}

const sidecarProcesses = async (name: string) =>
  (
    await execText(engine, name, [
      'sh',
      '-c',
      'for p in /proc/[0-9]*; do tr "\\0" " " <"$p/cmdline"; echo; done',
    ])
  ).stdout;

/** The raw client: bytes in (hex), what the relay answered (hex), as any program of the agent could. */
const RAW_CLIENT = `
socket(S, 1, 1, 0) or die; connect(S, pack("S Z*", 1, "/run/claude-tui/bridge/bridge.sock")) or die "connect: $!";
binmode S; syswrite(S, pack("H*", $ARGV[0])); my $all = ""; while (sysread(S, my $b, 65536)) { $all .= $b } print unpack("H*", $all);`;

interface Reply {
  failed: string[];
  exit: string | undefined;
}

function decodeReply(hex: string): Reply {
  const bytes = Buffer.from(hex, 'hex');
  const reply: Reply = { failed: [], exit: undefined };
  for (let at = 0; at + 5 <= bytes.length;) {
    const size = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + size).toString();
    if (bytes[at] === FRAME.failed) reply.failed.push(payload);
    if (bytes[at] === FRAME.exit) reply.exit = payload;
    at += 5 + size;
  }
  return reply;
}

describe.skipIf(!dockerAvailable())('the command bridge (real Engine, compose-labelled sidecars)', () => {
  let project: ProjectIdentity;
  let stateDir: string;
  const inAgent = (script: string, workingDir = '/workspace') =>
    execText(engine, project.names.agent, ['bash', '-c', script], { user: 'claude', workingDir });
  const raw = async (bytes: Buffer): Promise<Reply> => {
    const result = await execText(
      engine,
      project.names.agent,
      ['perl', '-e', RAW_CLIENT, bytes.toString('hex')],
      {
        user: 'claude',
      },
    );
    expect(result.stderr).toBe('');
    return decodeReply(result.stdout);
  };
  const request = (name: string, ...extra: Buffer[]) =>
    Buffer.concat([
      encodeFrame(FRAME.command, name),
      ...extra,
      encodeFrame(FRAME.go),
      encodeFrame(FRAME.stdin),
    ]);

  beforeAll(async () => {
    // The other project first: were labels not asked, the list's order would not save us.
    await composeContainer(names.decoy, other, 'a', ['DECOY_SECRET=hunter2-decoy']);
    await composeContainer(names.a, compose, 'a', ['SIDECAR_OWN=kept']);
    await composeContainer(names.b, compose, 'b');
    await composeContainer(names.c, compose, 'c');
    await engine.stopContainer(names.c, 1);
    const setup = await execText(engine, names.a, [
      'sh',
      '-c',
      'mkdir -p /srv/sub && chown -R 1234:1234 /srv && echo "toor:x:0:0::/root:/bin/sh" >>/etc/passwd && head -c 30000000 /dev/urandom >/big && chmod 644 /big',
    ]);
    expect(setup.exitCode, setup.stderr).toBe(0);
    const noId = await execText(engine, names.b, [
      'sh',
      '-c',
      'echo "toor:x:0:0::/root:/bin/sh" >>/etc/passwd && rm /usr/bin/id',
    ]);
    expect(noId.exitCode, noId.stderr).toBe(0);

    project = makeProject('bridge');
    writePolicyFiles(project, {
      config: ['firewall:', '  defaults: false', ...FAKE_AGENT_CONFIG, ''].join('\n'),
      allowlist: '# none\n',
    });
    writeBridge(project, bridgeYaml());
    // Approved with --yes, as a person does; `up` starts the relay.
    const up = await runCli(['up', project.dir, '--yes']);
    expect(up.exitCode, up.stderr).toBe(0);
    stateDir = projectStateDir(project, testEnv());
    const paths = bridgeRelayPaths(stateDir);
    expect(await runningBridgeRelay(paths)).toBeGreaterThan(0);
    await waitFor('the relay to listen', () => Promise.resolve(existsSync(paths.socket)), 10_000);
  });

  afterAll(async () => {
    if (project) await runCli(['down', project.dir]);
    for (const name of Object.values(names)) await engine.removeContainer(name);
  });

  it('puts each approved command on the agent’s PATH, in login shells too', async () => {
    const found = await inAgent(
      'command -v sh-a; bash -lc "command -v env-a"; ls /run/claude-tui/bridge/bin | sort',
    );
    expect(found.stdout.split('\n').slice(0, 2)).toEqual([
      '/run/claude-tui/bridge/bin/sh-a',
      '/run/claude-tui/bridge/bin/env-a',
    ]);
    expect(found.stdout).toContain(['echo-a', 'env-a', 'gid0-a', 'sh-a', 'sh-b'].join('\n'));
  });

  it('runs a mapped command in its service’s container, never the same-named service of another project', async () => {
    const where = await inAgent(
      'sh-a -c "cat /etc/hostname; echo \\$SIDECAR_OWN"; sh-b -c "cat /etc/hostname"; sh-either -c "cat /etc/hostname"',
    );
    expect(where.stderr).toBe('');
    expect(where.stdout.split('\n')).toEqual([hostOf(names.a), 'kept', hostOf(names.b), hostOf(names.b), '']);
    const byName = await inAgent('sh-decoy -c "cat /etc/hostname"');
    expect(byName.exitCode).toBe(126);
    expect(byName.stdout).toBe('');
    expect(byName.stderr).toContain(
      `the container ${names.decoy} is not one of the compose project ${compose}`,
    );
    const stopped = await inAgent('sh-stopped -c true');
    expect(stopped.exitCode).toBe(126);
    expect(stopped.stderr).toMatch(/container .*_c_1 is not running \(exited\)/);
  });

  it('passes stdin, stdout and stderr both ways, the arguments as argv, and the exit code', async () => {
    const piped = await inAgent(
      `printf 'hello\\nworld' | sh-a -c 'tr a-z A-Z; echo to-stderr >&2; exit 7'; echo "code=$?"`,
    );
    expect(piped.stdout).toBe('HELLO\nWORLDcode=7\n');
    expect(piped.stderr).toBe('to-stderr\n');
    const literal = await inAgent(`echo-a '$(id)' '; rm -rf /' '*' "a'b"`);
    expect(literal.stdout).toBe(`$(id) ; rm -rf / * a'b\n`);
    const killed = await inAgent(`sh-a -c 'kill -TERM $$'; echo "code=$?"`);
    expect(killed.stdout).toBe('code=143\n');
    const id = await inAgent('sh-a -c "id -u; id -g"');
    expect(id.stdout).toBe('1234\n1234\n');
  });

  it('keeps large output and input intact (hashes match)', async () => {
    const direct = await execText(engine, names.a, ['sha256sum', '/big']);
    const bridged = await inAgent('sh-a -c "cat /big" | sha256sum');
    expect(bridged.stdout.split(' ')[0]).toBe(direct.stdout.split(' ')[0]);
    const input = await inAgent(
      'head -c 20000000 /dev/urandom >/tmp/in; sha256sum </tmp/in | cut -d" " -f1; sh-a -c sha256sum </tmp/in | cut -d" " -f1',
    );
    const [here, there] = input.stdout.trim().split('\n');
    expect(there).toBe(here);
    // A caller that reads slowly: the relay holds output it could not write, and reads no more
    // of the command's meanwhile (its reads reuse one buffer), so nothing is overwritten.
    const slow = await inAgent(
      `sh-a -c "cat /big" | perl -e 'while (sysread(STDIN, $b, 65536)) { print $b; select(undef, undef, undef, 0.002) }' | sha256sum`,
    );
    expect(slow.stdout.split(' ')[0]).toBe(direct.stdout.split(' ')[0]);
  });

  it('runs in workdir, or as far below it as the caller is below the workspace', async () => {
    await inAgent('mkdir -p /workspace/sub /workspace/nothere');
    expect((await inAgent('sh-a -c pwd')).stdout).toBe('/srv\n');
    expect((await inAgent('sh-a -c pwd', '/workspace/sub')).stdout).toBe('/srv/sub\n');
    expect((await inAgent('sh-a -c pwd', '/tmp')).stdout).toBe('/srv\n');
    const missing = await inAgent('sh-a -c pwd', '/workspace/nothere');
    expect(missing.exitCode).toBe(125);
    expect(missing.stderr).toContain('no folder /srv/nothere in this container');
    // A link below the workdir (the agent can make one: the command runs as the folder's owner)
    // does not take the call out of it.
    await inAgent('mkdir -p /workspace/esc; sh-a -c "ln -s / /srv/esc"');
    const escaped = await inAgent('sh-a -c "pwd -P"', '/workspace/esc');
    expect(escaped.stdout).toBe('');
    expect(escaped.exitCode).toBe(126);
    expect(escaped.stderr).toContain('esc leads outside /srv');
    await inAgent('mkdir -p /workspace/in; sh-a -c "ln -s /srv/sub /srv/in"');
    expect((await inAgent('sh-a -c "pwd -P"', '/workspace/in')).stdout).toBe('/srv/sub\n');
  });

  it('passes only allowlisted variables', async () => {
    const env = await inAgent('ALLOWED=yes NOT_LISTED=leak GH_TOKEN=ghp_x env-a');
    expect(env.stdout).toContain('ALLOWED=yes\n');
    expect(env.stdout).not.toContain('NOT_LISTED');
    expect(env.stdout).not.toContain('ghp_x');
  });

  it('never runs as root, even as a name that is uid 0 inside', async () => {
    const toor = await inAgent('toor-a');
    expect(toor.exitCode).toBe(126);
    expect(toor.stdout).toBe('');
    expect(toor.stderr).toContain('refused to run as root');
    const noId = await inAgent('toor-b -c "echo ran as \\$(cat /proc/self/status | grep ^Uid)"');
    expect(noId.exitCode).toBe(126);
    expect(noId.stdout).toBe('');
    expect(noId.stderr).toContain('refused to run as root');
    const group0 = await inAgent('gid0-a -c "echo ran"');
    expect(group0.exitCode).toBe(126);
    expect(group0.stdout).toBe('');
    expect(group0.stderr).toContain('refused to run as root');
  });

  it('Ctrl+C without a terminal ends the command in the sidecar (130), as does the caller dying', async () => {
    const interrupted = await inAgent(
      'sh-a -c "exec sleep 301" & pid=$!; for i in $(seq 50); do sleep 0.1; done; kill -INT $pid; wait $pid; echo "code=$?"',
    );
    expect(interrupted.stdout).toBe('code=130\n');
    expect(await sidecarProcesses(names.a)).not.toContain('sleep 301');

    const dropped = await inAgent(
      'sh-a -c "exec sleep 302" & pid=$!; sleep 2; kill -KILL $pid; wait $pid; echo "code=$?"',
    );
    expect(dropped.stdout).toBe('code=137\n');
    await waitFor(
      'the orphaned command to be ended',
      async () => !(await sidecarProcesses(names.a)).includes('sleep 302'),
      10_000,
    );
  });

  it('takes a flood of signals with one kill exec at a time, and the hang-up still ends the command', async () => {
    const FLOOD_CLIENT = `
socket(S, 1, 1, 0) or die; connect(S, pack("S Z*", 1, "/run/claude-tui/bridge/bridge.sock")) or die "connect: $!";
binmode S; syswrite(S, pack("H*", $ARGV[0])); select(undef, undef, undef, 1);
syswrite(S, pack("H*", $ARGV[1])); select(undef, undef, undef, 1); exit 0;`;
    const ask = request('sh-a', ...['-c', 'trap "" INT; sleep 304'].map((a) => encodeFrame(FRAME.arg, a)));
    const flood = Buffer.concat(Array.from({ length: 300 }, () => encodeFrame(FRAME.signal, 'INT')));
    const execsInFlight = async () =>
      ((await engine.inspectContainer(names.a)) as { ExecIDs?: string[] | null } | undefined)?.ExecIDs
        ?.length ?? 0;
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        most = Math.max(most, await execsInFlight());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const sent = await execText(engine, project.names.agent, [
      'perl',
      '-e',
      FLOOD_CLIENT,
      ask.toString('hex'),
      flood.toString('hex'),
    ]);
    expect(sent.stderr).toBe('');
    // The caller hung up: SIGHUP ends `sh` and its sleep, under the flood as without it.
    await waitFor(
      'the hung-up command to end',
      async () => !(await sidecarProcesses(names.a)).includes('sleep 304'),
      8000,
    );
    watching = false;
    await watch;
    // The command's own exec, one kill exec of the caller's, the hang-up's; and the watch's own
    // look at the sidecar's processes.
    expect(most).toBeLessThanOrEqual(4);
  });

  it('gives the command a terminal when the caller has one (real pty through claude-tui exec)', async () => {
    const run = (args: string[], onData: (all: string, write: (s: string) => void) => void) =>
      new Promise<{ output: string; exitCode: number }>((resolve) => {
        const term = pty.spawn(process.execPath, [CLI, 'exec', project.dir, '--', ...args], {
          cols: 100,
          rows: 30,
          env: { ...process.env, ...testEnv(), TERM: 'xterm-256color' },
        });
        let output = '';
        term.onData((data) => {
          output += data;
          onData(output, (s) => term.write(s));
        });
        term.onExit(({ exitCode }) => resolve({ output, exitCode }));
      });
    const tty = await run(
      ['sh-a', '-c', '[ -t 0 ] && [ -t 1 ] && echo "tty:yes"; stty size; echo "term:$TERM"'],
      () => undefined,
    );
    expect(tty.exitCode).toBe(0);
    expect(tty.output).toContain('tty:yes');
    expect(tty.output).toContain('30 100');
    expect(tty.output).toContain('term:xterm-256color');

    let sent = false;
    const ctrlC = await run(['sh-a', '-c', 'echo ready; exec sleep 303'], (all, write) => {
      if (!sent && all.includes('ready')) {
        sent = true;
        write('\x03');
      }
    });
    expect(ctrlC.exitCode).toBe(130);
    expect(await sidecarProcesses(names.a)).not.toContain('sleep 303');
  });

  it('gives the agent no Docker socket, only the bridge’s', async () => {
    const look = await inAgent(
      'find / -path /proc -prune -o -path /sys -prune -o -type s -print 2>/dev/null; env | grep -i docker; ls /var/run/docker.sock /run/docker.sock 2>&1 | grep -c "No such"',
    );
    expect(look.stdout.trim().split('\n')).toEqual(['/run/claude-tui/bridge/bridge.sock', '2']);
  });

  it('refuses every request outside the closed protocol, and keeps serving', async () => {
    const refusals: [string, Buffer, RegExp][] = [
      ['a command not in the map', request('rm'), /rm is not a command of the approved/],
      ['a name with ../', request('../sh-a'), /is not a command name/],
      ['a name that is a path', request('/var/run/docker.sock'), /is not a command name/],
      ['a workdir escape', request('sh-a', encodeFrame(FRAME.cwd, '../../etc')), /outside the workspace/],
      [
        'a container in the request',
        Buffer.concat([encodeFrame(0x43, names.decoy), request('sh-a')]),
        /frame of type 67/,
      ],
      [
        'a Docker create in the request',
        encodeFrame(
          0x70,
          JSON.stringify({ Image: 'debian', HostConfig: { Privileged: true, Binds: ['/:/host'] } }),
        ),
        /frame of type 112/,
      ],
      ['an oversized frame', Buffer.from([FRAME.arg, 0xff, 0xff, 0xff, 0xff, 0x41]), /a frame of \d+ bytes/],
      ['a NUL in an argument', request('sh-a', encodeFrame(FRAME.arg, 'a\0b')), /NUL/],
      [
        'an unknown signal',
        Buffer.concat([
          request('sh-a', encodeFrame(FRAME.arg, '-c'), encodeFrame(FRAME.arg, 'sleep 5')),
          encodeFrame(FRAME.signal, 'KILL'),
        ]),
        /the signal "KILL"/,
      ],
    ];
    for (const verb of ['exec', 'create', 'inspect', 'archive', 'export', 'logs', 'docker', 'containers']) {
      refusals.push([
        `the verb ${verb}`,
        request(verb),
        new RegExp(`${verb} is not a command of the approved`),
      ]);
    }
    const http = [
      `POST /containers/${names.decoy}/exec HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n\r\n{"Cmd":["cat","/proc/1/environ"]}`,
      `POST /containers/create HTTP/1.1\r\nHost: docker\r\n\r\n{"Image":"debian:bookworm-slim","HostConfig":{"Privileged":true,"Binds":["/:/host"]}}`,
      `GET /containers/${names.decoy}/json HTTP/1.1\r\nHost: docker\r\n\r\n`,
      `GET /containers/${names.decoy}/archive?path=/ HTTP/1.1\r\nHost: docker\r\n\r\n`,
      `GET /containers/${names.decoy}/export HTTP/1.1\r\nHost: docker\r\n\r\n`,
      `GET /containers/${names.decoy}/logs?stdout=1 HTTP/1.1\r\nHost: docker\r\n\r\n`,
    ];
    for (const text of http)
      refusals.push([text.split('\r\n')[0]!, Buffer.from(text), /malformed request: a frame of \d+ bytes/]);

    for (const [what, bytes, why] of refusals) {
      const reply = await raw(bytes);
      expect(reply.failed, what).toHaveLength(1);
      expect(reply.failed[0], what).toMatch(why);
      expect(reply.exit, what).toBeUndefined();
    }
    // Nothing was made: no container anywhere on the Engine binds the host's root.
    for (const { Id } of await engine.listContainers({})) {
      const mounts = (await engine.inspectContainer(Id))?.Mounts ?? [];
      expect(mounts.some((m) => m.Source === '/' && m.Destination === '/host')).toBe(false);
    }
    const still = await inAgent('sh-a -c "echo still serving"');
    expect(still.stdout).toBe('still serving\n');
    // The other compose project's secret reached nothing the agent saw.
    for (const file of [bridgeCallLogPath(stateDir), bridgeRefusalLogPath(stateDir)])
      expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('acts on bridge.yaml only as approved: a change waits for the person’s yes', async () => {
    const agentWrites = await inAgent(
      'echo "commands: {evil: {exec: cat}}" >>/workspace/.claude/bridge.yaml',
    );
    expect(agentWrites.stderr).toContain('Read-only file system');
    // Changed all the same (from the host, or before the file existed): a proposal only.
    writeBridge(project, bridgeYaml({ evil: { container: 'b', exec: 'cat' } }));
    const before = await inAgent(
      '/usr/local/lib/claude-tui/bridge-client evil /etc/hostname; command -v evil',
    );
    expect(before.stdout).toBe('');
    expect(before.stderr).toContain('evil is not a command of the approved bridge.yaml');
    // The person approves it on the host: the running relay takes it at its next call.
    const relayBefore = await runningBridgeRelay(bridgeRelayPaths(stateDir));
    const approve = await runCli(['approve', project.dir, '--yes']);
    expect(approve.exitCode, approve.stderr).toBe(0);
    const after = await inAgent('/usr/local/lib/claude-tui/bridge-client evil /etc/hostname');
    expect(after.stdout).toBe(`${hostOf(names.b)}\n`);
    await waitFor(
      'the new command on PATH',
      async () => (await inAgent('command -v evil')).exitCode === 0,
      5000,
    );
    expect(await runningBridgeRelay(bridgeRelayPaths(stateDir))).toBe(relayBefore);
    writeBridge(project, bridgeYaml());
    expect((await runCli(['approve', project.dir, '--yes'])).exitCode).toBe(0);
    await waitFor(
      'the command gone from PATH',
      async () => (await inAgent('command -v evil')).exitCode !== 0,
      5000,
    );
  });

  it('stops serving a command the person takes out of bridge.yaml at once, running calls too', async () => {
    const running = inAgent('sh-a -c "exec sleep 305"; echo "code=$?"');
    await waitFor('the call to run', async () => (await sidecarProcesses(names.a)).includes('sleep 305'));
    const { 'sh-a': removed, ...rest } = bridgeYaml().commands;
    expect(removed).toBeDefined();
    writeBridge(project, { ...bridgeYaml(), commands: rest });
    // No up, no approve: the relay serves only what the live file still has as approved.
    const ended = await running;
    expect(ended.stdout).toBe('code=126\n');
    expect(ended.stderr).toContain('sh-a was taken out of .claude/bridge.yaml');
    await waitFor(
      'the ended call’s command to go',
      async () => !(await sidecarProcesses(names.a)).includes('sleep 305'),
      8000,
    );
    const refused = await inAgent('/usr/local/lib/claude-tui/bridge-client sh-a -c true');
    expect(refused.exitCode).toBe(126);
    expect(refused.stderr).toContain('sh-a was taken out of .claude/bridge.yaml');
    expect((await inAgent('sh-b -c "echo still"')).stdout).toBe('still\n');

    // Changed (here: another user) is not the approved command either; a broken file serves nothing.
    writeBridge(project, bridgeYaml({ 'sh-b': { container: 'b', exec: 'sh', user: '4321' } }));
    const changed = await inAgent('sh-b -c true');
    expect(changed.stderr).toContain('sh-b was changed in .claude/bridge.yaml');
    writeFileSync(join(project.dir, '.claude', 'bridge.yaml'), 'version: [');
    const broken = await inAgent('sh-a -c true');
    expect(broken.exitCode).toBe(126);
    expect(broken.stderr).toMatch(/\.claude\/bridge\.yaml:1:\d+: .*nothing is served until it does/);

    // Back as approved: served again, with nothing approved anew.
    writeBridge(project, bridgeYaml());
    expect((await inAgent('/usr/local/lib/claude-tui/bridge-client sh-a -c "echo back"')).stdout).toBe(
      'back\n',
    );
    await waitFor(
      'the links back on PATH',
      async () => (await inAgent('command -v sh-a sh-b')).exitCode === 0,
      5000,
    );
  });

  it('logs one line per call: command, exit code, duration, why refused', async () => {
    await inAgent('sh-b -c "exit 3"; not-there 2>/dev/null; /usr/local/lib/claude-tui/bridge-client nope');
    const lastOf = async (file: string, command: string) =>
      waitFor(`${command} logged`, async () => {
        const lines = (await readFile(file, 'utf8')).trim().split('\n');
        const last = JSON.parse(lines.at(-1)!) as BridgeCall;
        return last.command === command && last;
      });
    const exited = await lastOf(bridgeCallLogPath(stateDir), 'sh-b');
    expect(exited).toMatchObject({ command: 'sh-b', exitCode: 3 });
    expect(exited.durationMs).toBeGreaterThanOrEqual(0);
    // Refused before naming an approved command: in the refusal log, never among the calls that ran.
    const refused = await lastOf(bridgeRefusalLogPath(stateDir), 'nope');
    expect(refused).toMatchObject({
      command: 'nope',
      refused: 'nope is not a command of the approved bridge.yaml',
    });
    expect(refused.exitCode).toBeUndefined();
  });

  it('keeps calls that ran when flooded with refused ones, and still shows the refusals', async () => {
    await inAgent('sh-b -c "exit 4"');
    const FLOOD = `
my $req = pack("H*", $ARGV[0]);
for (1..8000) { socket(S, 1, 1, 0) or die; connect(S, pack("S Z*", 1, "/run/claude-tui/bridge/bridge.sock")) or die "connect: $!";
  syswrite(S, $req); while (sysread(S, my $b, 4096)) {} close S; }`;
    const flood = await execText(
      engine,
      project.names.agent,
      ['perl', '-e', FLOOD, request('nope').toString('hex')],
      {
        user: 'claude',
      },
    );
    expect(flood.stderr).toBe('');
    await inAgent('sh-b -c "exit 5"');
    // The log is written in order: once the last call is there, every refusal was written before it.
    const calls = await waitFor('the last call logged', async () => {
      const text = await readFile(bridgeCallLogPath(stateDir), 'utf8');
      return text.includes('"exitCode":5') && text;
    });
    expect(calls).toContain('"command":"sh-b","exitCode":4');
    const shown = await recentBridgeCalls({ env: testEnv() }, project, 5);
    expect(shown[0]).toMatchObject({ command: 'sh-b', exitCode: 5 });
    expect(shown[1]!.refused).toMatch(
      /^nope is not a command of the approved bridge\.yaml \(and \d+ more refused calls before it\)$/,
    );
    expect(shown[2]).toMatchObject({ command: 'sh-b', exitCode: 4 });
  });
});

describe.skipIf(!dockerAvailable())('the bridge relay’s life with the project', () => {
  it('is started by up/start when a bridge is approved, again after it died, and ended by down', async () => {
    const project = makeProject('bridge-life');
    const stateDir = projectStateDir(project, testEnv());
    const paths = bridgeRelayPaths(stateDir);
    const services = { processes: systemProcessRunner, env: { ...process.env, ...testEnv() }, cliPath: CLI };
    const owner = { uid: 1234, gid: 1234 };
    expect(await lendBridge(services, project, owner, true)).toEqual([]);
    const first = await runningBridgeRelay(paths);
    expect(first).toBeGreaterThan(0);
    expect(existsSync(paths.socket)).toBe(true);
    expect(await lendBridge(services, project, owner, true)).toEqual([]);
    expect(await runningBridgeRelay(paths)).toBe(first);

    process.kill(first!, 'SIGKILL');
    await waitFor('the relay to be gone', async () => (await runningBridgeRelay(paths)) === undefined, 5000);
    expect(await lendBridge(services, project, owner, true)).toEqual([]);
    const second = await runningBridgeRelay(paths);
    expect(second).toBeGreaterThan(0);
    expect(second).not.toBe(first);

    // No bridge approved any more: the relay ends.
    await lendBridge(services, project, owner, false);
    await waitFor('the relay to end', async () => (await runningBridgeRelay(paths)) === undefined, 5000);
    expect(await lendBridge(services, project, owner, true)).toEqual([]);
    const down = await runCli(['down', project.dir]);
    expect(down.exitCode, down.stderr).toBe(0);
    await waitFor('down to end the relay', async () => (await runningBridgeRelay(paths)) === undefined, 5000);
    expect(existsSync(paths.socket)).toBe(false);
    expect(existsSync(join(stateDir, 'bridge-relay.pid'))).toBe(false);
  });
});
