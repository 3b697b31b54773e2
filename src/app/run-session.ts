import type { Credential } from '../auth/credential.js';
import { log } from '../log.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { plainTranscript } from '../session/plain-transcript.js';
import { gitTarget } from '../session/session-target.js';
import { RENDERED_TAIL_BYTES } from '../session/transcript.js';
import { stopSession } from '../session/sessions.js';
import { startAgentSession } from '../session/start-agent-session.js';
import { waitForSessionEnd, type SessionEndWait } from '../session/wait-session.js';
import { startGitSession, type GitStartResult } from './start-git-session.js';

export interface RunRequest {
  /** Default: the next free s1, s2, ... */
  name?: string;
  /** A git session, on a clone (see startGitSession). */
  git?: { from?: string; includeChanges: boolean };
  agentArgs: readonly string[];
  size: { cols: number; rows: number };
  cliPath: string;
  /** Claude's credential for this run only, instead of the stored one. */
  credential?: Credential;
  /** Aborted: the session is stopped, and what it printed until then is still returned. */
  stop?: AbortSignal;
  /** Aborted: waiting ends at once (the session is stopped all the same); `runSession` rejects. */
  giveUp?: AbortSignal;
  /** Told once the session runs, before the wait. */
  onStarted?: (started: StartedRun) => void;
}

export interface StartedRun {
  name: string;
  command: string[];
  kind: 'workspace' | 'git';
  /** For a git session: where its clone came from. */
  git?: GitStartResult;
}

export interface RunResult extends StartedRun {
  /** The agent's exit code; null when the session was stopped before the agent exited. */
  exitCode: number | null;
  /** Whether the stop came from `stop` (the person), not from elsewhere. */
  interrupted: boolean;
  /** What the agent printed, as text: each line it printed as one line, however the pane wrapped it. */
  transcript: string;
  /** Transcript bytes left out at its start (it was longer than what is rendered). */
  skipped: number;
}

/**
 * A session run to its end, for scripts and CI: started as `start` does (so whatever reaches a
 * session's start reaches this), waited for without polling, and its transcript rendered as text.
 * The session stays listed afterwards, like any ended one.
 */
export async function runSession(
  services: HostServices,
  project: ProjectIdentity,
  request: RunRequest,
): Promise<RunResult> {
  const { end, ...started } = await startRun(services, project, request);
  request.onStarted?.(started);
  // A folder session's start goes on to wait in the same exec; a git session's wait is made once
  // it runs, in its own container.
  const waiting = end ?? waitForSessionEnd(services.engine, gitTarget(project, started.name), started.name);
  // The terminal emulator, only for a transcript that is not plain text.
  const renderer = () => import('../session/render-transcript.js');
  let interrupted = false;
  const stop = () => {
    if (interrupted) return;
    interrupted = true;
    stopSession(services.engine, project, started.name).catch((error: unknown) =>
      log.warn('run: the session could not be stopped', { session: started.name, error: String(error) }),
    );
  };
  const giveUp = () => {
    stop();
    waiting.cancel();
  };
  const listen = (signal: AbortSignal | undefined, action: () => void) => {
    if (signal?.aborted) action();
    signal?.addEventListener('abort', action, { once: true });
    return () => signal?.removeEventListener('abort', action);
  };
  const unlisten = [listen(request.stop, stop), listen(request.giveUp, giveUp)];
  try {
    const end = await waiting.end;
    const transcript =
      plainTranscript(end.transcript) ??
      (await (await renderer()).renderTranscript(end.transcript, end.sizes, { joinWrapped: true }));
    return { ...started, exitCode: end.exitCode, interrupted, transcript, skipped: end.skipped };
  } finally {
    for (const off of unlisten) off();
  }
}

async function startRun(
  services: HostServices,
  project: ProjectIdentity,
  request: RunRequest,
): Promise<StartedRun & { end?: SessionEndWait }> {
  const common = {
    ...(request.name ? { name: request.name } : {}),
    agentArgs: request.agentArgs,
    size: request.size,
    cliPath: request.cliPath,
    ...(request.credential ? { credential: request.credential } : {}),
  };
  if (!request.git) {
    const { name, command, end } = await startAgentSession(services, project, {
      ...common,
      waitMaxBytes: RENDERED_TAIL_BYTES,
    });
    return { name, command, kind: 'workspace', ...(end ? { end } : {}) };
  }
  const git = await startGitSession(services, project, {
    ...common,
    ...(request.git.from ? { from: request.git.from } : {}),
    includeChanges: request.git.includeChanges,
  });
  return { name: git.name, command: git.command, kind: 'git', git };
}
