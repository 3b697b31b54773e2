import type { AppSettings } from '../config/app-settings.js';
import type { DockerEngine } from '../docker/engine.js';
import { EngineError, UserError } from '../errors.js';
import { agentUnavailable } from '../project/agent-exec.js';
import { AGENT_USER } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';
import { attachTerminal, type AttachTerminal } from './attach.js';
import { DEFAULT_DETACH_KEY, parseDetachKey } from './detach-key.js';
import { describeEnd, findSession, SESSION_SCRIPT } from './sessions.js';
import { sessionTarget, type SessionTarget } from './session-target.js';

export interface AttachServices {
  engine: DockerEngine;
  env: NodeJS.ProcessEnv;
}

/** How an attach ended, in the person's words; `closed` settles when the connection is gone. */
export interface AttachReport {
  message: string;
  exitCode: number;
  closed: Promise<void>;
}

/**
 * Hands the terminal to a session (`tmux attach` in an exec whose terminal is the Engine
 * connection itself) until the detach key or the session's end, then says which. Used by
 * `claude-tui attach` and by the dashboard.
 */
export async function attachSession(
  services: AttachServices,
  project: ProjectIdentity,
  name: string,
  terminal: AttachTerminal,
  settings: Pick<AppSettings, 'detachKey'>,
  /** Where the session runs, when the caller knows (a listed session); else it is looked up. */
  knownTarget?: SessionTarget,
): Promise<AttachReport> {
  const { stdin, stdout } = terminal;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new UserError(
      'attach needs a terminal, and stdin or stdout is not one.',
      `Run it from a terminal; in scripts, \`claude-tui peek ${name}\` shows the screen.`,
    );
  }
  const { env } = services;
  const detachKey = parseDetachKey(env.CLAUDE_TUI_DETACH_KEY ?? settings.detachKey ?? DEFAULT_DETACH_KEY);
  const term = env.TERM ?? 'xterm-256color';
  const execEnv = [`TERM=${term}`, ...(env.COLORTERM ? [`COLORTERM=${env.COLORTERM}`] : [])];
  const target = knownTarget ?? (await sessionTarget(services.engine, project, name));
  let outcome;
  try {
    outcome = await attachTerminal(
      (size, onOutput) =>
        services.engine.startExec(
          {
            container: target.container,
            command: [SESSION_SCRIPT, 'attach', name, String(size.rows), String(size.cols)],
            user: AGENT_USER,
            env: execEnv,
            tty: size,
            // Caught here in every form, the detach key's own byte never reaches the Engine.
            detachKeys: detachKey.dockerForm,
          },
          (_stream, data) => onOutput(data),
        ),
      terminal,
      detachKey,
    );
  } catch (error) {
    if (error instanceof EngineError) {
      throw (
        (await agentUnavailable(services.engine, project)) ??
        new UserError(`The Docker Engine refused to attach: ${error.message}`)
      );
    }
    throw error;
  }
  const done = Promise.resolve();
  if (outcome.reason === 'detached') {
    return {
      message: `Detached from ${name}; it keeps running.`,
      exitCode: 0,
      closed: outcome.closed,
    };
  }
  // Nothing was checked before attaching (that would cost the person time on every attach):
  // an attach that ended says now why.
  const problem = await agentUnavailable(services.engine, project);
  if (problem) throw problem;
  const after = await findSession(services.engine, project, name);
  if (!after.running) {
    return {
      message: `Session ${name} ended: ${describeEnd(after)}.`,
      exitCode: after.exitCode ?? 0,
      closed: done,
    };
  }
  if (outcome.exitCode === 0) {
    return {
      message: `The connection to ${name} closed; the session keeps running.`,
      exitCode: 0,
      closed: done,
    };
  }
  throw new UserError(
    `The connection to ${name} closed (exit ${outcome.exitCode}).`,
    'Check `claude-tui status`.',
  );
}
