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
 * Waits for a session to end, through one exec in its container that sleeps on inotify until the
 * exit code (or the mark of a stop) is written, then sends how it ended and the transcript at once
 * (images/session.sh `wait`): no polling from here, and no further call once it ends. The session
 * script writes the exit code only once the transcript holds all the agent printed.
 */
export function waitForSessionEnd(
  engine: DockerEngine,
  target: SessionTarget,
  name: string,
  maxBytes = RENDERED_TAIL_BYTES,
): SessionEndWait {
  let process: ExecProcess | undefined;
  let cancelled = false;
  const end = (async () => {
    const stdout: Buffer[] = [];
    let stderr = '';
    process = await engine.startExec(
      {
        container: target.container,
        command: [SESSION_SCRIPT, 'wait', name, String(maxBytes)],
        user: AGENT_USER,
        workingDir: target.workdir,
        // Attached and never written: the script learns from it that nobody waits any more.
        stdin: true,
      },
      (stream, data) => (stream === 'stdout' ? stdout.push(data) : (stderr += data.toString('utf8'))),
    );
    if (cancelled) process.close();
    const exitCode = await process.exit;
    if (cancelled) throw new UserError(`Stopped waiting for the session ${name}.`);
    if (exitCode === 0) {
      const parsed = parseSessionEnd(Buffer.concat(stdout));
      if (parsed) return parsed;
    }
    throw waitFailed(name, exitCode, stderr);
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
 * `session wait`'s answer: the exit code ("-" for a stop), the transcript's length, the pane's
 * sizes, a line `--`, then the transcript's last bytes. The files are in the home volume, which the
 * agent can write: what cannot be read as it should is taken as a stop, sizes stay bounded
 * (parsePaneSizes), and undefined means the answer was cut off.
 */
export function parseSessionEnd(output: Buffer): SessionEnd | undefined {
  const firstNewline = output.indexOf(10);
  const secondNewline = output.indexOf(10, firstNewline + 1);
  const separator = output.indexOf(SEPARATOR, secondNewline);
  if (firstNewline < 0 || secondNewline < 0 || separator < 0) return undefined;
  const code = output.subarray(0, firstNewline).toString('utf8');
  const total = Number(output.subarray(firstNewline + 1, secondNewline).toString('utf8'));
  const sizes = parsePaneSizes(output.subarray(secondNewline + 1, separator).toString('utf8'));
  const transcript = output.subarray(separator + SEPARATOR.length);
  const skipped = Number.isSafeInteger(total) ? Math.max(0, total - transcript.length) : 0;
  return {
    exitCode: /^\d{1,3}$/.test(code) && Number(code) <= 255 ? Number(code) : null,
    transcript,
    skipped,
    sizes: sizesAfter(sizes, skipped),
  };
}
