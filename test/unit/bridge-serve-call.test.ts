import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FRAME } from '../../src/bridge/frames.js';
import { PID_MARK } from '../../src/bridge/plan-call.js';
import { serveCall } from '../../src/bridge/serve-call.js';
import type { BridgePolicy } from '../../src/config/bridge-policy.js';
import type { DockerEngine } from '../../src/docker/engine.js';
import type { ExecProcess, ExecRequest } from '../../src/docker/exec-process.js';

/**
 * The relay's handling of one call, against a stand-in Engine that records what it was asked
 * (the real Engine's side is in test/integration/bridge.test.ts).
 */
const policy: BridgePolicy = {
  composeProject: 'shop',
  defaultContainer: 'app',
  containers: { app: { service: 'app' } },
  commands: { sh: { container: 'app', exec: 'sh', workdir: undefined, user: undefined, env: [] } },
};

interface FakeEngine {
  engine: DockerEngine;
  execs: ExecRequest[];
  resizes: { rows: number; cols: number }[];
  /** Ends the command's exec with this code. */
  finish(code: number): void;
  /** Output from the command (after its pid line). */
  output(stream: 'stdout' | 'stderr', data: Buffer): void;
  /** The command's pause() and resume() calls, in order. */
  reading: Array<'pause' | 'resume'>;
}

function fakeEngine(): FakeEngine {
  const execs: ExecRequest[] = [];
  const resizes: { rows: number; cols: number }[] = [];
  let finish: (code: number) => void = () => undefined;
  let output: FakeEngine['output'] = () => undefined;
  const reading: FakeEngine['reading'] = [];
  const engine = {
    listContainers: () =>
      Promise.resolve([
        {
          Id: 'c1',
          Names: ['/shop-app-1'],
          Image: 'x',
          State: 'running',
          Status: 'Up',
          Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'app' },
        },
      ]),
    startExec: (request: ExecRequest, onOutput: (s: 'stdout' | 'stderr', d: Buffer) => void) => {
      execs.push(request);
      const first = execs.length === 1;
      let settle: (code: number | null) => void = () => undefined;
      const exit = new Promise<number | null>((resolve) => (settle = resolve));
      if (first) {
        finish = settle;
        output = onOutput;
        setImmediate(() => onOutput(request.tty ? 'stdout' : 'stderr', Buffer.from(`${PID_MARK}42\n`)));
      } else {
        // A kill exec: takes a while, as a real one does.
        setTimeout(() => settle(0), 30);
      }
      const process: ExecProcess = {
        stdin: new Writable({ write: (_c, _e, callback) => callback() }),
        resize: (size) => void resizes.push(size),
        pause: () => void (first && reading.push('pause')),
        resume: () => void (first && reading.push('resume')),
        exit,
        close: () => settle(null),
      };
      return Promise.resolve(process);
    },
  } as unknown as DockerEngine;
  return {
    engine,
    execs,
    resizes,
    finish: (code) => finish(code),
    output: (stream, data) => output(stream, data),
    reading,
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A caller talking to serveCall over a real Unix socket, which asked for `sh` (`before`: frames
 * ahead of `go`), once the relay has started it.
 */
async function callOfSh(fake: FakeEngine, before: Buffer[] = []): Promise<Socket> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-serve-'));
  dirs.push(dir);
  const path = join(dir, 's');
  const server = createServer((socket) => {
    void serveCall(socket, {
      engine: fake.engine,
      policy: () => Promise.resolve({ policy, withheld: new Map<string, string>() }),
      defaultUser: '1000:1000',
      record: () => undefined,
      hangupGraceMs: 200,
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const client = connect(path);
  await new Promise((resolve) => client.once('connect', resolve));
  server.close();
  client.write(Buffer.concat([encodeFrame(FRAME.command, 'sh'), ...before, encodeFrame(FRAME.go)]));
  await sleep(50);
  return client;
}

describe('serveCall: signals and resizes a caller floods', () => {
  it('sends one kill exec at a time, collapsing repeats; a hang-up goes out at once', async () => {
    const fake = fakeEngine();
    const client = await callOfSh(fake);
    const flood = ['INT', 'TERM', 'INT', 'QUIT'].flatMap((name) =>
      Array.from({ length: 100 }, () => encodeFrame(FRAME.signal, name)),
    );
    client.write(Buffer.concat(flood));
    await sleep(50);
    client.destroy();
    await sleep(100);
    const signals = fake.execs.slice(1).map((e) => e.command.at(-2));
    // The caller's: the first one, then nothing after the hang-up; the hang-up's HUP, not queued.
    expect(signals.length).toBeLessThanOrEqual(3);
    expect(signals).toContain('HUP');
    await sleep(300);
    expect(fake.execs.slice(1).map((e) => e.command.at(-2))).toContain('KILL');
  });

  it('collapses a signal repeated while one is in flight into one more', async () => {
    const fake = fakeEngine();
    const client = await callOfSh(fake);
    client.write(Buffer.concat(Array.from({ length: 300 }, () => encodeFrame(FRAME.signal, 'INT'))));
    await sleep(400);
    expect(fake.execs.slice(1).map((e) => e.command.at(-2))).toEqual(['INT', 'INT']);
    fake.finish(0);
  });

  it('passes on only the newest terminal size, a few times a second at most', async () => {
    const fake = fakeEngine();
    const client = await callOfSh(fake, [encodeFrame(FRAME.tty, '24 80 xterm')]);
    const sizes = Array.from({ length: 500 }, (_, n) => encodeFrame(FRAME.resize, `${n + 1} 80`));
    client.write(Buffer.concat(sizes));
    await sleep(200);
    expect(fake.resizes.length).toBeLessThanOrEqual(3);
    expect(fake.resizes.at(-1)).toEqual({ rows: 500, cols: 80 });
    fake.finish(0);
  });
});

describe('serveCall: reading a command’s output', () => {
  /** Everything the caller got as stdout frames, once the exit frame came. */
  function stdoutOf(client: Socket): Promise<string> {
    return new Promise((resolve) => {
      let pending = Buffer.alloc(0);
      let out = '';
      client.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
          const type = pending[0];
          const payload = pending.subarray(5, 5 + pending.readUInt32BE(1));
          pending = pending.subarray(5 + payload.length);
          if (type === FRAME.stdout) out += payload.toString();
          if (type === FRAME.exit) resolve(out);
        }
      });
    });
  }

  it('reads on at once after output that comes alone or in large pieces', async () => {
    const fake = fakeEngine();
    const client = await callOfSh(fake);
    const got = stdoutOf(client);
    fake.output('stdout', Buffer.from('one line\n'));
    await sleep(10);
    fake.output('stdout', Buffer.from('another\n'));
    fake.output('stdout', Buffer.alloc(60 * 1024, 'x'));
    expect(fake.reading).toEqual([]);
    fake.finish(0);
    expect(await got).toBe('one line\nanother\n' + 'x'.repeat(60 * 1024));
  });

  it('waits a moment before the next read while small pieces stream, then reads on', async () => {
    const fake = fakeEngine();
    const client = await callOfSh(fake);
    const got = stdoutOf(client);
    fake.output('stdout', Buffer.from('a'.repeat(4096)));
    fake.output('stdout', Buffer.from('b'.repeat(4096)));
    // The second piece is sent at once; only the read after it waits.
    expect(fake.reading).toEqual(['pause']);
    await sleep(20);
    expect(fake.reading).toEqual(['pause', 'resume']);
    fake.finish(0);
    expect(await got).toBe('a'.repeat(4096) + 'b'.repeat(4096));
  });
});
