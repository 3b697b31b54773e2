import type { DockerEngine } from '../docker/engine.js';
import type { ExecProcess } from '../docker/exec-process.js';
import { UserError } from '../errors.js';
import { AGENT_USER } from '../project/container-specs.js';
import type { PaneSizeFrom } from './render-transcript.js';
import type { SessionTarget } from './session-target.js';
import { SESSION_SCRIPT } from './sessions.js';
import { parsePaneSizes, RENDERED_TAIL_BYTES, sizesAfter } from './transcript.js';

/** How a session ended, and its transcript as it was then. */
export interface SessionEnd {
  /** The agent's exit code; null when the session was stopped before the agent exited. */
  exitCode: number | null;
  /** The transcript's last bytes (at most RENDERED_TAIL_BYTES), and how many came before them. */
  transcript: Buffer;
  skipped: number;
  /** The pane's sizes over those bytes. */
  sizes: PaneSizeFrom[];
}

export interface SessionEndWait {
  end: Promise<SessionEnd>;
  /** Stops waiting (the session goes on): `end` rejects. */
  cancel: () => void;
}

/**
 * Waits for a session to end through one exec in its container (images/session.sh `wait`), which
 * sleeps on inotify until the exit code (or the mark of a stop) is written, then sends how it ended
 * and the transcript at once. No polling from here, no further call once it ends, and no waiting
 * for the exec's own end: the answer says how long it is. The session script writes the exit code
 * only once the transcript holds all the agent printed.
 */
export function waitForSessionEnd(
  engine: DockerEngine,
  target: SessionTarget,
  name: string,
  maxBytes = RENDERED_TAIL_BYTES,
): SessionEndWait {
  let whole: (end: SessionEnd) => void = () => undefined;
  const answered = new Promise<SessionEnd>((resolve) => (whole = resolve));
  const reader = new SessionEndReader(maxBytes);
  let stderr = '';
  const exec = engine.startExec(
    {
      container: target.container,
      command: [SESSION_SCRIPT, 'wait', name, String(maxBytes)],
      user: AGENT_USER,
      workingDir: target.workdir,
      // Attached and never written: the script learns from it closing that nobody waits.
      stdin: true,
    },
    (stream, data) => {
      if (stream === 'stderr') stderr += data.toString('utf8');
      else if (reader.push(data)) whole(reader.result()!);
    },
  );
  return sessionEndOf(exec, reader, answered, name, () => stderr);
}

/**
 * The second half of every wait (its own exec, or a start's that goes on to wait): the answer as
 * soon as it is whole, the exec then closed; or, when the exec ends without one, why. Cancelling
 * closes the exec.
 */
export function sessionEndOf(
  exec: Promise<ExecProcess>,
  reader: SessionEndReader,
  answered: Promise<SessionEnd>,
  name: string,
  stderr: () => string,
): SessionEndWait {
  let process: ExecProcess | undefined;
  let cancelled = false;
  const end = (async () => {
    process = await exec;
    if (cancelled) process.close();
    const exitCode = await Promise.race([answered.then(() => 'answered' as const), process.exit]);
    if (exitCode === 'answered') {
      process.close();
      return answered;
    }
    if (cancelled) throw new UserError('Stopped waiting for the session.');
    const result = exitCode === 0 ? reader.result() : undefined;
    if (result) return result;
    throw waitFailed(name, exitCode, stderr());
  })();
  return {
    end,
    cancel: () => {
      cancelled = true;
      process?.close();
    },
  };
}

function waitFailed(name: string, exitCode: number | null, stderr: string): UserError {
  if (exitCode === 2 && stderr.includes('usage:')) {
    return new UserError(
      `The session's container runs an older image that cannot wait for ${name}.`,
      'Run `claude-tui up` for the project, which brings its containers to the current image.',
    );
  }
  if (exitCode === 5) return new UserError(`There is no session named ${name}.`);
  // The exec was cut: its container stopped (down, a restart) while the session ran.
  return new UserError(
    `Lost the session ${name}: its container stopped before the session ended${stderr.trim() ? ` (${stderr.trim()})` : ''}.`,
    'See `claude-tui status` and `claude-tui sessions`; its transcript, if any, stays for `claude-tui logs`.',
  );
}

const SEPARATOR = Buffer.from('\n--\n');

/**
 * `session wait`'s answer, as it arrives: the exit code ("-" for a stop), the transcript's length,
 * the pane's sizes, a line `--`, then the transcript's last min(length, maxBytes) bytes. The files
 * are in the home volume, which the agent can write: an exit code that is no exit code is taken as
 * a stop, and sizes stay bounded (parsePaneSizes).
 */
export class SessionEndReader {
  private head = Buffer.alloc(0);
  private header: { exitCode: number | null; total: number; sizesText: string } | undefined;
  private readonly body: Buffer[] = [];
  private bodyLength = 0;

  constructor(private readonly maxBytes: number) {}

  /** Takes the next output; true once the answer is whole. */
  push(data: Buffer): boolean {
    if (!this.header) {
      this.head = Buffer.concat([this.head, data]);
      const firstNewline = this.head.indexOf(10);
      const secondNewline = firstNewline < 0 ? -1 : this.head.indexOf(10, firstNewline + 1);
      const separator = secondNewline < 0 ? -1 : this.head.indexOf(SEPARATOR, secondNewline);
      if (separator < 0) return false;
      const code = this.head.subarray(0, firstNewline).toString('utf8');
      const total = Number(this.head.subarray(firstNewline + 1, secondNewline).toString('utf8'));
      this.header = {
        exitCode: /^\d{1,3}$/.test(code) && Number(code) <= 255 ? Number(code) : null,
        total: Number.isSafeInteger(total) && total > 0 ? total : 0,
        sizesText: this.head.subarray(secondNewline + 1, separator).toString('utf8'),
      };
      data = this.head.subarray(separator + SEPARATOR.length);
      this.head = Buffer.alloc(0);
    }
    if (data.length) {
      this.body.push(data);
      this.bodyLength += data.length;
    }
    return this.bodyLength >= Math.min(this.header.total, this.maxBytes);
  }

  /** The answer as far as it came; undefined before its header is whole. */
  result(): SessionEnd | undefined {
    if (!this.header) return undefined;
    const transcript = Buffer.concat(this.body);
    const skipped = Math.max(0, this.header.total - transcript.length);
    return {
      exitCode: this.header.exitCode,
      transcript,
      skipped,
      sizes: sizesAfter(parsePaneSizes(this.header.sizesText), skipped),
    };
  }
}
