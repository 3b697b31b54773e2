import { join } from 'node:path';

/**
 * One call the bridge served, as the dashboard shows it. The host side appends a JSON line per
 * call to the project's call log (in the project's state folder, which no agent can write); the
 * arguments are not kept, since they may carry what the agent was working on.
 */
export interface BridgeCall {
  /** When the call began, ms since the epoch. */
  at: number;
  command: string;
  /** The command's exit code, or undefined when it was refused or could not start. */
  exitCode: number | undefined;
  durationMs: number;
  /** Why the call was refused or failed before the command ran. */
  refused?: string;
}

export const BRIDGE_CALL_LOG = 'bridge-calls.jsonl';
/**
 * Calls refused before they named an approved command (not a command, malformed, withheld) go to
 * a small log of their own, in the same format: a flood of them never pushes out calls that ran.
 */
export const BRIDGE_REFUSAL_LOG = 'bridge-refusals.jsonl';

export function bridgeCallLogPath(projectStateDir: string): string {
  return join(projectStateDir, BRIDGE_CALL_LOG);
}

export function bridgeRefusalLogPath(projectStateDir: string): string {
  return join(projectStateDir, BRIDGE_REFUSAL_LOG);
}
