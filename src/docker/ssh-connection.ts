import type * as ChildProcesses from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { Duplex } from 'node:stream';
import { DockerUnavailableError } from '../errors.js';
import { log } from '../log.js';
import { sshError } from './connection-error.js';
import type { DockerEndpoint } from './endpoint.js';

/**
 * A connection to an Engine over ssh, made as the Docker CLI makes it (cli/connhelper): `ssh …
 * HOST docker system dial-stdio`, whose stdin and stdout are the connection. The user's own ssh
 * (its config, agent, known_hosts) does the authentication; claude-tui adds only a connect
 * timeout and BatchMode, since ssh must never ask a question on a terminal the app owns.
 *
 * This file spawns its child itself (eslint.config.js allows it): the connection is the child's
 * stdio, which the general process runner (one layer above, in src/system) does not hand out.
 */
type SshEndpoint = Extract<DockerEndpoint, { kind: 'ssh' }>;

export function sshArguments(endpoint: SshEndpoint, connectTimeoutMs: number): string[] {
  const remote = endpoint.socketPath
    ? `docker ${posixQuote(`--host=unix://${endpoint.socketPath}`)} system dial-stdio`
    : 'docker system dial-stdio';
  return [
    ...(endpoint.user ? ['-l', endpoint.user] : []),
    ...(endpoint.port ? ['-p', String(endpoint.port)] : []),
    '-o',
    `ConnectTimeout=${Math.max(1, Math.ceil(connectTimeoutMs / 1000))}`,
    '-o',
    'BatchMode=yes',
    '-T',
    '--',
    endpoint.host,
    remote,
  ];
}

function posixQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The children alive now, ended with us (a stopped ssh would otherwise linger until its stdin closes). */
const children = new Set<ChildProcess>();
let endsChildrenOnExit = false;

function endChildrenOnExit(): void {
  if (endsChildrenOnExit) return;
  endsChildrenOnExit = true;
  process.once('exit', () => children.forEach((child) => child.kill()));
}

export function openSshConnection(
  endpoint: SshEndpoint,
  env: NodeJS.ProcessEnv,
  connectTimeoutMs: number,
): Duplex {
  const args = sshArguments(endpoint, connectTimeoutMs);
  log.debug('ssh connection to the Docker Engine', { args });
  // Loaded only for an ssh endpoint: importing it costs every command some 10 ms at start.
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof ChildProcesses;
  // Its own session, as the CLI does: no terminal to ask on, and our Ctrl+C is not its signal.
  const child = spawn('ssh', args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  endChildrenOnExit();
  children.add(child);
  child.on('close', () => children.delete(child));
  return new SshConnection(endpoint, child);
}

/** The child's stdio as one duplex stream, with the few socket methods node:http calls. */
class SshConnection extends Duplex {
  timeout = 0;
  private stderr = '';
  private stoppedByUs = false;

  constructor(
    private readonly endpoint: SshEndpoint,
    private readonly child: ChildProcess,
  ) {
    // As a socket: when ssh is done sending, our side ends too (it cannot be written any more).
    super({ allowHalfOpen: false });
    const { stdin, stdout, stderr } = child as ChildProcess & {
      stdin: NodeJS.WritableStream;
      stdout: NodeJS.ReadableStream;
      stderr: NodeJS.ReadableStream;
    };
    stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) stdout.pause();
    });
    stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-4000);
    });
    // A write after ssh went away; its exit says why, below.
    stdin.on('error', () => undefined);
    child.on('error', (error: NodeJS.ErrnoException) =>
      this.destroy(
        error.code === 'ENOENT'
          ? new DockerUnavailableError(
              `ssh is not installed or not on PATH, and ${endpoint.host} is reached over ssh.`,
              'Install the OpenSSH client.',
            )
          : error,
      ),
    );
    // Output is over only when ssh has exited: a failed login ends stdout first, then says why.
    child.on('close', (code, signal) => {
      if (this.destroyed) return;
      if (code === 0 || (signal && this.stoppedByUs)) {
        this.push(null);
        return;
      }
      log.debug('ssh connection ended', { code, signal, stderr: this.stderr });
      this.destroy(sshError(this.endpoint, this.stderr, code));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.child.stdin?.writable) return callback();
    this.child.stdin.write(chunk, () => callback());
  }

  /** Half-close: the remote side reads end of input and keeps sending (an exec's stdin ends). */
  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.stoppedByUs = true;
      this.child.kill();
    }
    callback(error);
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setTimeout(ms: number): this {
    this.timeout = ms;
    return this;
  }

  /** Kept-alive connections wait unref'd, so an idle one never holds the process open. */
  ref(): this {
    this.child.ref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as { ref?: () => void } | null)?.ref?.();
    return this;
  }

  unref(): this {
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as { unref?: () => void } | null)?.unref?.();
    return this;
  }
}
