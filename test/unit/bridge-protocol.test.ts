import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callLogWriter } from '../../src/bridge/call-log-writer.js';
import type { BridgeCall } from '../../src/bridge/call-log.js';
import {
  encodeFrame,
  FRAME,
  frameReader,
  FrameError,
  MAX_FRAME_BYTES,
  type Frame,
} from '../../src/bridge/frames.js';
import { belowWorkspace, planCall, printable, type PlannedCall } from '../../src/bridge/plan-call.js';
import { requestCollector, RequestError, type BridgeRequest } from '../../src/bridge/request.js';
import type { BridgePolicy } from '../../src/config/bridge-policy.js';

const policy: BridgePolicy = {
  composeProject: 'shop',
  defaultContainer: 'app',
  containers: { app: { service: 'php' }, db: { containerName: 'shop-db' } },
  commands: {
    php: { container: 'app', exec: 'php', workdir: '/var/www/html', user: undefined, env: ['APP_ENV'] },
    psql: { container: 'db', exec: '/usr/bin/psql', workdir: undefined, user: 'postgres', env: [] },
    asroot: { container: 'app', exec: 'id', workdir: undefined, user: '0:33', env: [] },
    lost: { container: 'nowhere', exec: 'id', workdir: undefined, user: undefined, env: [] },
  },
};

const request = (command: string, more: Partial<BridgeRequest> = {}): BridgeRequest => ({
  command,
  args: [],
  env: {},
  cwd: undefined,
  tty: undefined,
  ...more,
});

function planned(req: BridgeRequest): PlannedCall {
  const result = planCall(policy, req, '1234:1234');
  if ('refused' in result) throw new Error(result.refused);
  return result.call;
}

function refusal(
  req: BridgeRequest,
  p: BridgePolicy | undefined = policy,
  defaultUser = '1234:1234',
): string {
  const result = planCall(p, req, defaultUser);
  if (!('refused' in result)) throw new Error('not refused');
  return result.refused;
}

describe('bridge frames', () => {
  it('reads frames that straddle reads, in order', () => {
    const frames: Frame[] = [];
    const read = frameReader((f) => frames.push(f));
    const bytes = Buffer.concat([
      encodeFrame(FRAME.command, 'php'),
      encodeFrame(FRAME.arg, '-v'),
      encodeFrame(FRAME.go),
    ]);
    for (let at = 0; at < bytes.length; at += 3) read(bytes.subarray(at, at + 3));
    expect(frames.map((f) => [String.fromCharCode(f.type), f.payload.toString()])).toEqual([
      ['c', 'php'],
      ['a', '-v'],
      ['g', ''],
    ]);
  });

  it('refuses a frame longer than the limit before buffering it (an HTTP request reads as one)', () => {
    const read = frameReader(() => undefined);
    expect(() => read(Buffer.from('POST /containers/create HTTP/1.1\r\n'))).toThrow(FrameError);
    const header = Buffer.from([FRAME.arg, 0, 0, 0, 0]);
    header.writeUInt32BE(MAX_FRAME_BYTES + 1, 1);
    expect(() => frameReader(() => undefined)(header)).toThrow(/at most/);
  });
});

describe('bridge requests', () => {
  const collect = (frames: [number, string][]) => {
    const take = requestCollector();
    let done: BridgeRequest | undefined;
    for (const [type, text] of frames) done = take({ type, payload: Buffer.from(text) });
    return done;
  };

  it('gathers name, argv, env, folder and terminal until go', () => {
    expect(
      collect([
        [FRAME.command, 'php'],
        [FRAME.arg, '-r'],
        [FRAME.arg, 'echo "$(id)";'],
        [FRAME.env, 'APP_ENV=a=b'],
        [FRAME.cwd, 'sub'],
        [FRAME.tty, '40 120 xterm-256color'],
        [FRAME.go, ''],
      ]),
    ).toEqual({
      command: 'php',
      args: ['-r', 'echo "$(id)";'],
      env: { APP_ENV: 'a=b' },
      cwd: 'sub',
      tty: { rows: 40, cols: 120, term: 'xterm-256color' },
    });
  });

  it('refuses frames outside the request, NUL bytes, a missing name and a bad size', () => {
    expect(() => collect([[0x43, '{"container":"db"}']])).toThrow(RequestError);
    expect(() => collect([[FRAME.stdin, 'x']])).toThrow(RequestError);
    expect(() => collect([[FRAME.arg, 'a\0b']])).toThrow(/NUL/);
    expect(() => collect([[FRAME.go, '']])).toThrow(/no command/);
    expect(() => collect([[FRAME.tty, 'big']])).toThrow(/rows cols/);
    expect(() => collect([[FRAME.env, '=x']])).toThrow(/NAME=/);
    expect(() =>
      collect([
        [FRAME.command, 'a'],
        [FRAME.command, 'b'],
      ]),
    ).toThrow(/second/);
  });

  it('takes a safe terminal type only', () => {
    expect(
      collect([
        [FRAME.command, 'php'],
        [FRAME.tty, '1 1 $(rm)'],
        [FRAME.go, ''],
      ])?.tty?.term,
    ).toBe('xterm');
  });
});

describe('planning a bridged call from the approved policy', () => {
  it('runs the approved executable with the arguments as argv, behind the pid-reporting shell', () => {
    const call = planned(request('php', { args: ['-r', '; rm -rf / $(id)'] }));
    expect(call.argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(call.argv.slice(3)).toEqual([
      'claude-tui-bridge',
      '2',
      '',
      '',
      '',
      '--',
      'php',
      '-r',
      '; rm -rf / $(id)',
    ]);
    expect(call.target).toEqual({ service: 'php' });
    expect(call.user).toBe('1234:1234');
    expect(call.workingDir).toBe('/var/www/html');
    expect(call.tty).toBeUndefined();
  });

  it('passes only allowlisted values, as arguments exported after the checks; TERM with a terminal', () => {
    const call = planned(
      request('php', {
        env: { APP_ENV: 'test', GH_TOKEN: 'x', PATH: '/evil' },
        tty: { rows: 5, cols: 9, term: 'xterm' },
      }),
    );
    expect(call.env).toEqual(['TERM=xterm']);
    expect(call.argv.slice(4)).toEqual(['1', '5', '9', '', 'APP_ENV=test', '--', 'php']);
  });

  it('refuses an approved entry passing on a name that steers the shell or the loader', () => {
    for (const name of ['PATH', 'LD_PRELOAD', 'BASH_ENV', 'ENV', 'IFS', 'BASH_FUNC_x%%', 'no-name']) {
      const withEnv: BridgePolicy = {
        ...policy,
        commands: { x: { container: 'app', exec: 'id', workdir: undefined, user: undefined, env: [name] } },
      };
      expect(refusal(request('x', { env: { [name]: 'v' } }), withEnv)).toMatch(/passes on .* never does/);
    }
  });

  it('maps the caller’s folder below the workspace under workdir, never above it', () => {
    expect(planned(request('php', { cwd: 'src/Controller' })).argv[7]).toBe('src/Controller');
    expect(planned(request('php', { cwd: 'a/../b/' })).argv[7]).toBe('b');
    expect(planned(request('php', { cwd: '' })).argv[7]).toBe('');
    expect(refusal(request('php', { cwd: '../etc' }))).toMatch(/outside the workspace/);
    expect(refusal(request('php', { cwd: 'a/../../etc' }))).toMatch(/outside the workspace/);
    expect(refusal(request('php', { cwd: '/etc' }))).toMatch(/outside the workspace/);
    // Without an approved workdir the container's own folder is used, whatever the caller's.
    expect(planned(request('psql', { cwd: 'deep/sub' })).argv[7]).toBe('');
  });

  it('refuses root by uid or gid outright (the shell checks the ids inside too)', () => {
    expect(refusal(request('asroot'))).toMatch(/never does/);
    expect(refusal(request('php'), policy, '1000:0')).toMatch(/uid or gid 0/);
    for (const user of ['root', '0', '00:0', 'root:www', ':33', 'www:0', 'www:root', '']) {
      const withUser: BridgePolicy = {
        ...policy,
        commands: { x: { container: 'app', exec: 'id', workdir: undefined, user, env: [] } },
      };
      expect(refusal(request('x'), withUser)).toMatch(/root/);
    }
  });

  it('refuses names not in the map, traversal, prototype keys and a missing approval', () => {
    expect(refusal(request('composer'))).toMatch(/not a command of the approved/);
    expect(refusal(request('../php'))).toMatch(/not a command name/);
    expect(refusal(request('bin/php'))).toMatch(/not a command name/);
    expect(refusal(request('..'))).toMatch(/not a command name/);
    expect(refusal(request('constructor'))).toMatch(/not a command of the approved/);
    expect(refusal(request('toString'))).toMatch(/not a command of the approved/);
    expect(refusal(request('lost'))).toMatch(/does not define/);
    expect(planCall(undefined, request('php'), '1:1')).toEqual({
      refused: 'no bridge is approved for this project',
    });
  });

  it('shows what the agent sent without control characters', () => {
    expect(printable('\u001b[2Jx'.repeat(1))).toBe('?[2Jx');
    expect(belowWorkspace('.')).toBe('');
  });
});

describe('the call log', () => {
  it('keeps the newest calls once it grows past its bound', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-log-'));
    try {
      const file = join(dir, 'calls.jsonl');
      const record = callLogWriter({ calls: file, refusals: join(dir, 'refusals.jsonl') });
      const call = (n: number): BridgeCall => ({
        at: n,
        command: `c${'x'.repeat(200)}`,
        exitCode: 0,
        durationMs: 1,
      });
      for (let n = 0; n < 3000; n++) record(call(n), true);
      await expect
        .poll(() => readFileSync(file, 'utf8').includes('"at":2999'), { timeout: 10_000 })
        .toBe(true);
      record(call(3000), true);
      await expect.poll(() => readFileSync(file, 'utf8').includes('"at":3000')).toBe(true);
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      expect(lines.length).toBeLessThan(2400);
      expect(lines.length).toBeGreaterThan(1000);
      expect((JSON.parse(lines.at(-1)!) as BridgeCall).at).toBe(3000);
      expect((JSON.parse(lines[0]!) as BridgeCall).at).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never lets refusals push out calls that ran: they have a small log of their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-log-'));
    try {
      const files = { calls: join(dir, 'calls.jsonl'), refusals: join(dir, 'refusals.jsonl') };
      const record = callLogWriter(files);
      record({ at: 1, command: 'php', exitCode: 0, durationMs: 5 }, true);
      const refused = (n: number): BridgeCall => ({
        at: 2 + n,
        command: 'nope',
        exitCode: undefined,
        durationMs: 0,
        refused: 'nope is not a command of the approved bridge.yaml',
      });
      for (let n = 0; n < 20_000; n++) record(refused(n), false);
      await expect
        .poll(() => readFileSync(files.refusals, 'utf8').includes('"at":20001'), { timeout: 30_000 })
        .toBe(true);
      expect(readFileSync(files.calls, 'utf8')).toBe(
        `${JSON.stringify({ at: 1, command: 'php', exitCode: 0, durationMs: 5 })}\n`,
      );
      expect(statSync(files.refusals).size).toBeLessThanOrEqual(64 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
