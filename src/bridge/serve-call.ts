import type { Socket } from 'node:net';
import type { BridgePolicy } from '../config/bridge-policy.js';
import type { DockerEngine } from '../docker/engine.js';
import type { ExecProcess } from '../docker/exec-process.js';
import { log } from '../log.js';
import type { BridgeCall } from './call-log.js';
import {
  CHUNK_BYTES,
  encodeFrame,
  FRAME,
  frameHeader,
  frameReader,
  STDIN_WINDOW_BYTES,
  type Frame,
} from './frames.js';
import { outputPace, type OutputPace } from './output-pace.js';
import { planCall, printable, PID_MARK, SIDECAR_SHELL, type PlannedCall } from './plan-call.js';
import { parseSize, requestCollector, type BridgeRequest } from './request.js';
import { resolveContainer } from './resolve-container.js';
import type { ServedBridge } from './served-bridge.js';

/** A call whose command runs (or is starting), as the relay sees it to end it if need be. */
export interface RunningCall {
  command: string;
  /** The policy it was planned from. */
  policy: BridgePolicy;
  /** Ends it: the caller is told why, the command is hung up on. */
  stop(why: string): void;
}

export interface CallDeps {
  engine: DockerEngine;
  /** What is served now: the approved bridge as the live bridge.yaml narrows it. */
  policy: () => Promise<ServedBridge>;
  /** A call's command is about to run; the returned function is called when the call is over. */
  register?: (call: RunningCall) => () => void;
  /** Who a command without its own `user` runs as: the agent's uid:gid. */
  defaultUser: string;
  /** One line per call; `planned`: it named an approved command (see CallLogFiles). */
  record: (call: BridgeCall, planned: boolean) => void;
  requestTimeoutMs?: number;
  /** After the caller hung up: how long a command has to end on SIGHUP before SIGKILL. */
  hangupGraceMs?: number;
}

/** The signals a caller may pass on; nothing else reaches `kill`. */
const SIGNALS = new Set(['INT', 'TERM', 'HUP', 'QUIT']);
/**
 * Each signal costs an exec in the sidecar, and each resize a call to the Engine: a caller gets
 * at most one kill exec in flight, one every SIGNAL_GAP_MS, with the signals sent meanwhile
 * collapsed into a set of names; and the last terminal size only, once every RESIZE_GAP_MS.
 */
const SIGNAL_GAP_MS = 100;
const RESIZE_GAP_MS = 50;

/** Signals the command's process group (its pid: the exec made it a session leader) as its user. */
const KILL_SCRIPT = 'kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" -- "$2" 2>/dev/null';

/**
 * One connection from a client: the request, refused or planned from the approved policy, then
 * the command in its container with stdio, terminal size and signals passed on, and its exit
 * code back. The caller hanging up ends the command (Docker would leave it running). Resolves
 * when the call is over; one line goes to the call log.
 */
export function serveCall(client: Socket, deps: CallDeps): Promise<void> {
  return new Promise((resolve) => new BridgeCallServer(client, deps, resolve).begin());
}

class BridgeCallServer {
  private readonly started = Date.now();
  private command = '';
  private readonly collect = requestCollector();
  private requested = false;
  private call: PlannedCall | undefined;
  private containerId: string | undefined;
  private exec: ExecProcess | undefined;
  /** The command's pid in its container, once the shell said it; null when it never will. */
  private pid: number | null | undefined;
  private markText = '';
  /** Input that came before the command could take it. */
  private heldInput: Buffer[] = [];
  /** The caller's signals not yet sent (sent once the pid is known, one kill exec at a time). */
  private readonly queuedSignals = new Set<string>();
  private signalling = false;
  private lastSignalAt = 0;
  /** The caller hung up before the pid was known: the hang-up goes out once it is. */
  private hangUpWaiting = false;
  private pendingSize: { rows: number; cols: number } | undefined;
  private resizeTimer: NodeJS.Timeout | undefined;
  private lastResizeAt = 0;
  private inputInFlight = 0;
  private inputEnded = false;
  /** No more frames are taken: the call ended, was refused, or the caller hung up. */
  private over = false;
  private recorded = false;
  private unregister: (() => void) | undefined;
  private planned = false;
  /** When the command's next output is read (set once it runs). */
  private pace: OutputPace | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly client: Socket,
    private readonly deps: CallDeps,
    private readonly done: () => void,
  ) {
    this.timer = setTimeout(
      () => this.refuse('no complete request in time'),
      deps.requestTimeoutMs ?? 10_000,
    );
  }

  begin(): void {
    const read = frameReader((frame) => this.onFrame(frame));
    this.client.on('data', (chunk: Buffer) => {
      if (this.over) return;
      try {
        read(chunk);
      } catch (error) {
        this.refuse(`a malformed request: ${(error as Error).message}`);
      }
    });
    this.client.on('error', () => this.client.destroy());
    this.client.on('close', () => this.hungUp());
    this.client.resume();
  }

  private onFrame(frame: Frame): void {
    if (this.over) return;
    if (!this.requested) {
      const request = this.collect(frame);
      if (request) {
        this.requested = true;
        clearTimeout(this.timer);
        this.run(request).catch((error: unknown) => this.refuse(`the bridge failed: ${String(error)}`));
      }
      return;
    }
    switch (frame.type) {
      case FRAME.stdin:
        return this.onInput(frame.payload);
      case FRAME.signal:
        return this.onSignal(frame.payload.toString('latin1'));
      case FRAME.resize:
        return this.onResize(frame.payload.toString('latin1'));
      default:
        this.refuse(`a frame of type ${frame.type} while the command runs`);
    }
  }

  private async run(request: BridgeRequest): Promise<void> {
    this.command = printable(request.command);
    const served = await this.deps.policy();
    const held = served.none ?? served.withheld.get(request.command);
    if (held !== undefined) return this.refuse(held);
    const policy = served.policy;
    const planned = planCall(policy, request, this.deps.defaultUser);
    if ('refused' in planned) return this.refuse(planned.refused);
    this.planned = true;
    this.unregister = this.deps.register?.({
      command: planned.call.command,
      policy: policy!,
      stop: (why) => this.refuse(why),
    });
    const call = planned.call;
    const found = await resolveContainer(this.deps.engine, policy!.composeProject, call.target);
    if ('problem' in found) return this.refuse(found.problem);
    if (this.over) return this.record(undefined, 'the caller hung up');
    this.call = call;
    this.containerId = found.id;
    try {
      this.exec = await this.deps.engine.startExec(
        {
          container: found.id,
          command: call.argv,
          user: call.user,
          ...(call.workingDir ? { workingDir: call.workingDir } : {}),
          env: call.env,
          lendOutput: true,
          // The Engine holds back keys that may start its detach sequence: one nobody types.
          ...(call.tty ? { tty: call.tty, detachKeys: 'ctrl-@,ctrl-@,ctrl-@' } : {}),
        },
        (stream, data) => this.onOutput(stream, data),
      );
    } catch (error) {
      return this.refuse(`${call.command} could not start in ${found.name}: ${(error as Error).message}`);
    }
    this.pace = outputPace(this.client, this.exec);
    if (this.over) return this.hangUpCommand('the caller hung up');
    const code = await this.exec.exit;
    if (this.over) return;
    this.over = true;
    if (code === null) this.send(FRAME.failed, Buffer.from('the command’s exit code is unknown'));
    else this.client.write(encodeFrame(FRAME.exit, String(code)));
    this.client.end();
    this.record(code ?? undefined);
  }

  private onOutput(stream: 'stdout' | 'stderr', data: Buffer): void {
    const markStream = this.call?.tty ? 'stdout' : 'stderr';
    if (this.pid === undefined && stream === markStream) {
      data = this.takeMark(data);
      if (!data.length) return;
    }
    this.send(stream === 'stdout' ? FRAME.stdout : FRAME.stderr, data);
    this.pace?.sent(data.length);
  }

  /** Takes the shell's first line (its pid) off the output; what follows is the command's. */
  private takeMark(data: Buffer): Buffer {
    this.markText += data.toString('latin1');
    const newline = this.markText.indexOf('\n');
    if (newline < 0 && this.markText.length < 128) return Buffer.alloc(0);
    const line = newline < 0 ? '' : this.markText.slice(0, newline).replace(/\r$/, '');
    const pid = line.startsWith(PID_MARK) ? line.slice(PID_MARK.length) : '';
    // Not our shell talking (it could not start): all of it is shown, and no signal can be sent.
    const rest = /^\d+$/.test(pid) ? this.markText.slice(newline + 1) : this.markText;
    this.pid = /^\d+$/.test(pid) ? Number(pid) : null;
    this.markText = '';
    this.release();
    return Buffer.from(rest, 'latin1');
  }

  private send(type: number, data: Buffer): void {
    if (this.client.destroyed) return;
    // Header and bytes written as they are (no copy into one buffer), sent together.
    this.client.cork();
    for (let at = 0; at < data.length || at === 0; at += CHUNK_BYTES) {
      const chunk = data.subarray(at, at + CHUNK_BYTES);
      this.client.write(frameHeader(type, chunk.length));
      this.client.write(chunk);
    }
    this.client.uncork();
  }

  private onInput(data: Buffer): void {
    if (!data.length) {
      this.inputEnded = true;
      if (this.pid !== undefined) this.exec?.stdin.end();
      return;
    }
    this.inputInFlight += data.length;
    if (this.inputInFlight > STDIN_WINDOW_BYTES) return this.refuse('input beyond its window');
    if (this.pid === undefined) this.heldInput.push(data);
    else this.writeInput(data);
  }

  private writeInput(data: Buffer): void {
    const exec = this.exec;
    if (!exec) return;
    exec.stdin.write(data, () => {
      this.inputInFlight -= data.length;
      if (!this.client.destroyed) this.client.write(encodeFrame(FRAME.ack, String(data.length)));
    });
  }

  /** The command runs and its pid is known (or never will be): held input and signals go on. */
  private release(): void {
    for (const data of this.heldInput) this.writeInput(data);
    this.heldInput = [];
    if (this.inputEnded) this.exec?.stdin.end();
    if (this.hangUpWaiting) {
      if (this.pid === null) this.exec?.close();
      else void this.signal('HUP');
    }
    void this.sendQueuedSignals();
  }

  private onSignal(name: string): void {
    if (!SIGNALS.has(name)) return this.refuse(`the signal "${printable(name, 16)}"`);
    this.queuedSignals.add(name);
    void this.sendQueuedSignals();
  }

  /** The caller's signals, one kill exec at a time and no faster than SIGNAL_GAP_MS. */
  private async sendQueuedSignals(): Promise<void> {
    if (this.signalling || this.pid === undefined) return;
    this.signalling = true;
    try {
      for (const name of this.queuedSignals) {
        // A call that is over needs no more of the caller's signals (a hang-up goes its own way).
        if (this.over) break;
        const wait = this.lastSignalAt + SIGNAL_GAP_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.queuedSignals.delete(name);
        this.lastSignalAt = Date.now();
        await this.signal(name);
      }
    } finally {
      this.signalling = false;
      this.queuedSignals.clear();
    }
  }

  /** Only the newest size counts: one resize at most every RESIZE_GAP_MS. */
  private onResize(text: string): void {
    const size = parseSize(text);
    if (!size || !this.call?.tty) return;
    this.pendingSize = size;
    if (this.resizeTimer) return;
    const apply = () => {
      this.resizeTimer = undefined;
      if (!this.pendingSize || this.over) return;
      this.exec?.resize(this.pendingSize);
      this.pendingSize = undefined;
      this.lastResizeAt = Date.now();
    };
    const wait = this.lastResizeAt + RESIZE_GAP_MS - Date.now();
    if (wait <= 0) apply();
    else this.resizeTimer = setTimeout(apply, wait);
  }

  /** Docker has no call to signal an exec: a second exec, as the same user, does it. */
  private async signal(name: string): Promise<void> {
    const { pid, call, containerId } = this;
    if (!pid || !call || !containerId) return;
    try {
      const kill = await this.deps.engine.startExec(
        {
          container: containerId,
          command: [SIDECAR_SHELL, '-c', KILL_SCRIPT, 'claude-tui-bridge-kill', name, String(pid)],
          user: call.user,
          stdin: false,
        },
        () => undefined,
      );
      await kill.exit;
    } catch (error) {
      log.debug('bridge: a signal was not delivered', { error: String(error) });
    }
  }

  /** The caller went away. */
  private hungUp(): void {
    if (this.over) return;
    this.over = true;
    clearTimeout(this.timer);
    if (this.exec) this.hangUpCommand('the caller hung up');
    // Else run() sees it at its next step; a caller that never asked is logged now.
    else if (!this.requested) this.record(undefined, 'the caller left before asking');
  }

  /**
   * A command whose caller is gone is hung up on, as a terminal would, then killed. These two
   * signals go out at once, never behind the caller's (which stop when the call is over).
   */
  private hangUpCommand(why: string): void {
    const exec = this.exec!;
    clearTimeout(this.resizeTimer);
    if (this.pid === undefined) this.hangUpWaiting = true;
    else if (this.pid === null) exec.close();
    else void this.signal('HUP');
    const grace = setTimeout(() => {
      void this.signal('KILL').then(() => exec.close());
    }, this.deps.hangupGraceMs ?? 3000);
    void exec.exit.then((code) => {
      clearTimeout(grace);
      this.record(code ?? undefined, code === null ? why : undefined);
    });
  }

  private refuse(why: string): void {
    if (this.over) {
      // The caller hung up while the request was looked at: the call still gets its line.
      if (!this.exec) this.record(undefined, why);
      return;
    }
    this.over = true;
    clearTimeout(this.timer);
    this.send(FRAME.failed, Buffer.from(why));
    this.client.end();
    if (this.exec) this.hangUpCommand(why);
    else this.record(undefined, why);
  }

  private record(exitCode: number | undefined, refused?: string): void {
    if (this.recorded) return;
    this.recorded = true;
    this.pace?.stop();
    this.unregister?.();
    this.deps.record(
      {
        at: this.started,
        command: this.command || '(none)',
        exitCode,
        durationMs: Date.now() - this.started,
        ...(refused && exitCode === undefined ? { refused } : {}),
      },
      this.planned,
    );
    this.done();
  }
}
