import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerEngine, EngineEvent } from '../../src/docker/engine.js';
import { createDockerEngine, type EngineOptions } from '../../src/docker/engine-http.js';
import { execText } from '../../src/docker/exec.js';
import { LABEL, managedLabels } from '../../src/docker/labels.js';
import { DockerUnavailableError } from '../../src/errors.js';
import { DEFAULT_BASE_IMAGE } from '../../src/image/image-inputs.js';
import { dockerAvailable, runCli, waitFor } from '../support/cli.js';
import { TEST_ROOT } from '../support/docker-resources.js';
import {
  freePort,
  makeCertificates,
  removeDir,
  startSecondEngine,
  startSshServer,
  tempDir,
  type Certificates,
  type SecondEngine,
  type SshServer,
} from '../support/remote-engines.js';

/**
 * The Engine transport against real remote Engines made here: a second dockerd serving TCP with
 * --tlsverify (certificates made by the test), and this machine's Engine reached over ssh through
 * an sshd started by the test. Each speaks the same calls the product makes: version, an exec with
 * stdin and stdout (and a terminal), the event stream; each failure is one message, in time.
 */
const image = DEFAULT_BASE_IMAGE;
const project = { dir: join(TEST_ROOT, 'remote-engines'), id: 'remote-engines' };
const labels = managedLabels('agent', project);
const local = createDockerEngine();

let dir: string;
let certs: Certificates;
let second: SecondEngine;
let ssh: SshServer;
const sshContainer = `ctui-remote-ssh-${randomBytes(3).toString('hex')}`;

const tlsEnv = (certPath: string): NodeJS.ProcessEnv => ({
  DOCKER_HOST: `tcp://127.0.0.1:${second.tlsPort}`,
  DOCKER_TLS_VERIFY: '1',
  DOCKER_CERT_PATH: certPath,
});
const sshEnv = (host = `127.0.0.1:${ssh.port}`, path = ssh.path): NodeJS.ProcessEnv => ({
  ...process.env,
  DOCKER_HOST: `ssh://${ssh.user}@${host}`,
  PATH: path,
});

async function unavailable(engine: DockerEngine): Promise<{ error: DockerUnavailableError; ms: number }> {
  const started = Date.now();
  const error = await engine.ping().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DockerUnavailableError);
  return { error: error as DockerUnavailableError, ms: Date.now() - started };
}

async function sleeper(engine: DockerEngine, name: string): Promise<string> {
  const id = await engine.createContainer(name, {
    Image: image,
    Cmd: ['sleep', 'infinity'],
    Labels: labels,
    HostConfig: { NetworkMode: 'none', Init: true },
  });
  await engine.startContainer(id);
  return id;
}

/** Over this engine: a megabyte through an exec's stdin comes back out of its stdout whole. */
async function roundTrip(engine: DockerEngine, container: string): Promise<void> {
  const input = randomBytes(1 << 20);
  const result = await execText(engine, container, ['sha256sum'], { input });
  expect(result.exitCode).toBe(0);
  expect(result.stdout.split(' ')[0]).toBe(createHash('sha256').update(input).digest('hex'));
  const text = await execText(
    engine,
    container,
    ['sh', '-c', 'cat; echo " and back"; echo oops >&2; exit 3'],
    {
      input: 'there',
    },
  );
  expect(text).toEqual({ exitCode: 3, stdout: 'there and back\n', stderr: 'oops\n' });
}

/** A terminal exec: a line typed in is read by the command, whose answer comes back. */
async function terminal(engine: DockerEngine, container: string): Promise<void> {
  let output = '';
  const process = await engine.startExec(
    { container, command: ['sh', '-c', 'read line; echo "got:$line"'], tty: { rows: 24, cols: 80 } },
    (_stream, data) => (output += data.toString()),
  );
  process.resize({ rows: 30, cols: 100 });
  process.stdin.write('typed\r');
  expect(await process.exit).toBe(0);
  expect(output).toContain('got:typed');
}

/** Events followed over this engine see a container of ours start. */
async function followsEvents(engine: DockerEngine, start: () => Promise<string>): Promise<void> {
  const seen: EngineEvent[] = [];
  let ended: Error | undefined;
  const follow = engine.events(
    { [LABEL.projectId]: project.id },
    (event) => seen.push(event),
    (error) => (ended = error),
  );
  try {
    // The stream is open once the Engine answered its head; a moment, then act.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const id = await start();
    await waitFor('the start event', () =>
      Promise.resolve(seen.some((e) => e.Action === 'start' && e.Actor.ID === id)),
    );
    expect(ended).toBeUndefined();
  } finally {
    follow.close();
  }
}

describe.skipIf(!dockerAvailable())('remote Engines: TCP with TLS, and ssh', () => {
  beforeAll(async () => {
    dir = tempDir('ctui-re-');
    certs = await makeCertificates(dir);
    second = await startSecondEngine(dir, certs);
    ssh = await startSshServer(dir);
    // The second Engine starts empty and reaches no registry: it gets the base image from ours.
    await execa('sh', ['-c', `docker save "$1" | docker -H "unix://$2" load`, 'sh', image, second.socket]);
  }, 120_000);

  afterAll(async () => {
    await local.removeContainer(sshContainer).catch(() => undefined);
    await ssh?.stop();
    await second?.stop();
    if (dir) removeDir(dir);
  });

  it('works with a TLS Engine: version, an exec with stdin and stdout, a terminal, events', async () => {
    const engine = createDockerEngine(tlsEnv(certs.clientDir));
    expect(engine.endpoint).toBe(`tcp://127.0.0.1:${second.tlsPort} (TLS)`);
    expect((await engine.version()).ApiVersion).toMatch(/^1\.\d+$/);
    let container = '';
    await followsEvents(engine, async () => (container = await sleeper(engine, 'probe')));
    await roundTrip(engine, container);
    await terminal(engine, container);
    // The Engine really is the second one: ours has no container by that id.
    expect(await local.inspectContainer(container)).toBeUndefined();
  });

  it('refuses a TLS Engine the CA does not vouch for, or that wants our certificate, with one message at once', async () => {
    const wrongCa = await unavailable(createDockerEngine(tlsEnv(certs.wrongCaDir)));
    expect(wrongCa.error.message).toContain(`tcp://127.0.0.1:${second.tlsPort} (TLS) failed the TLS check`);
    expect(wrongCa.error.hint).toContain(certs.wrongCaDir);
    expect(wrongCa.ms).toBeLessThan(5_000);

    const noCert = await unavailable(createDockerEngine(tlsEnv(certs.noClientCertDir)));
    expect(noCert.error.message).toContain('refused our TLS client certificate');

    const plain = await unavailable(createDockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${second.tlsPort}` }));
    expect(plain.error.message).toContain('speaks only TLS');
    expect(plain.error.hint).toContain('DOCKER_TLS_VERIFY');

    const cli = await runCli(['ls'], { env: tlsEnv(certs.wrongCaDir) as Record<string, string> });
    expect(cli.exitCode).toBe(3);
    expect(cli.stderr).toContain('failed the TLS check');
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  });

  it('gives up on an unreachable or silent Engine within the timeout, saying which', async () => {
    const closed = await freePort();
    const refused = await unavailable(createDockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${closed}` }));
    expect(refused.error.message).toBe(`Nothing answers at tcp://127.0.0.1:${closed}.`);
    expect(refused.ms).toBeLessThan(2_000);

    // A server that takes the connection and never says a word: no handshake, no answer.
    const held: Socket[] = [];
    const silent: Server = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const options: EngineOptions = { timeouts: { connectMs: 1_000, requestMs: 1_500 } };
      const tls = await unavailable(
        createDockerEngine({ ...tlsEnv(certs.clientDir), DOCKER_HOST: `tcp://127.0.0.1:${port}` }, options),
      );
      expect(tls.error.message).toBe(
        `The Docker Engine at tcp://127.0.0.1:${port} (TLS) did not answer within 1 s.`,
      );
      expect(tls.ms).toBeLessThan(3_000);
      const plain = await unavailable(
        createDockerEngine({ DOCKER_HOST: `tcp://127.0.0.1:${port}` }, options),
      );
      expect(plain.error.message).toContain('did not answer within 2 s');
      expect(plain.ms).toBeLessThan(3_500);
    } finally {
      held.forEach((socket) => socket.destroy());
      silent.close();
    }
  });

  it('works with an Engine over ssh: version, an exec with stdin and stdout, a terminal, events; a command ends at once', async () => {
    const engine = createDockerEngine(sshEnv());
    expect(engine.endpoint).toBe(`ssh://${ssh.user}@127.0.0.1:${ssh.port}`);
    expect((await engine.version()).ApiVersion).toMatch(/^1\.\d+$/);
    await followsEvents(engine, () => sleeper(local, sshContainer));
    await roundTrip(engine, sshContainer);
    await terminal(engine, sshContainer);

    // An ssh:// address with a socket path reaches that socket on the far side: the second Engine.
    const toSecond = createDockerEngine(sshEnv(`127.0.0.1:${ssh.port}${second.socket}`));
    const names = (await toSecond.listContainers({ [LABEL.projectId]: project.id })).flatMap((c) => c.Names);
    expect(names).toContain('/probe');

    // The CLI over ssh: kept-alive connections never hold the process open.
    const started = Date.now();
    const ls = await runCli(['ls', '--json'], { env: sshEnv() as Record<string, string> });
    expect(ls.exitCode, ls.stderr).toBe(0);
    expect((JSON.parse(ls.stdout) as { engines: unknown[] }).engines).toBeInstanceOf(Array);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('says why ssh failed: a host key it does not know, a login refused, nothing listening', async () => {
    const stranger = await unavailable(createDockerEngine(sshEnv(undefined, ssh.strangerPath)));
    expect(stranger.error.message).toContain('over ssh: Host key verification failed.');
    expect(stranger.error.hint).toContain(`ssh -p ${ssh.port} ${ssh.user}@127.0.0.1\` once`);

    const refused = await unavailable(
      createDockerEngine({ ...sshEnv(), DOCKER_HOST: `ssh://nobody@127.0.0.1:${ssh.port}` }),
    );
    expect(refused.error.message).toContain('Permission denied');
    expect(refused.error.hint).toContain('authorized_keys');

    const closed = await freePort();
    const down = await unavailable(createDockerEngine(sshEnv(`127.0.0.1:${closed}`)));
    expect(down.error.message).toContain('Connection refused');
    expect(down.ms).toBeLessThan(5_000);
  });

  it('honours a context made with the docker CLI; --context outranks DOCKER_HOST, which outranks DOCKER_CONTEXT, as in docker', async () => {
    const config = join(dir, 'docker-config');
    const env = { DOCKER_CONFIG: config, PATH: ssh.path };
    const dockerCli = (args: string[], more: Record<string, string> = {}) =>
      execa('docker', args, { env: { ...env, ...more }, reject: false });
    const at = (file: string) => join(certs.clientDir, file);
    const created = await dockerCli([
      ...['context', 'create', 'tlsbox', '--docker'],
      `host=tcp://127.0.0.1:${second.tlsPort},ca=${at('ca.pem')},cert=${at('cert.pem')},key=${at('key.pem')}`,
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    await dockerCli([
      'context',
      'create',
      'sshbox',
      '--docker',
      `host=ssh://${ssh.user}@127.0.0.1:${ssh.port}`,
    ]);
    const noSocket = 'unix:///tmp/claude-tui-no-such.sock';

    const chosen = await runCli(['--context', 'tlsbox', 'doctor'], {
      env: { ...env, DOCKER_HOST: noSocket },
    });
    expect(chosen.stdout).toContain(
      `answers at tcp://127.0.0.1:${second.tlsPort} (TLS); Docker context: tlsbox (chosen by --context)`,
    );
    // The docker CLI agrees: --context wins over DOCKER_HOST ...
    expect((await dockerCli(['--context', 'tlsbox', 'version'], { DOCKER_HOST: noSocket })).exitCode).toBe(0);

    // ... and DOCKER_HOST over DOCKER_CONTEXT.
    const outranked = await runCli(['ls'], {
      env: { ...env, DOCKER_HOST: noSocket, DOCKER_CONTEXT: 'tlsbox' },
    });
    expect(outranked.exitCode).toBe(3);
    expect(outranked.stderr).toContain('Docker is not running');
    expect(
      (await dockerCli(['version'], { DOCKER_HOST: noSocket, DOCKER_CONTEXT: 'tlsbox' })).exitCode,
    ).not.toBe(0);

    // `docker context use` (config.json) and an ssh context, written after the command as well.
    await dockerCli(['context', 'use', 'sshbox']);
    const current = await runCli(['doctor'], { env });
    expect(current.stdout).toContain(
      `answers at ssh://${ssh.user}@127.0.0.1:${ssh.port}; Docker context: sshbox (chosen by config.json)`,
    );
    const after = await runCli(['ls', '--context', 'tlsbox', '--json'], { env });
    expect(after.exitCode, after.stderr).toBe(0);

    const missing = await runCli(['--context', 'nope', 'ls'], { env });
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain(`There is no Docker context "nope" (--context names it) in ${config}.`);
  });
});
