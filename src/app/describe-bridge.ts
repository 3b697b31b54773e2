import type { JoinedNetwork } from './project-bridge.js';
import type { BridgeCall } from '../bridge/call-log.js';
import type { Sidecar } from '../bridge/sidecars.js';
import { ago } from '../session/describe-session.js';

/** How long a call took, short: `40 ms`, `1.2 s`, `3m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** How a call ended, short: `exit 0`, `exit 2`, `refused`, or `did not run` when the log says neither. */
export function callOutcome(call: BridgeCall): string {
  if (call.refused !== undefined) return 'refused';
  return call.exitCode === undefined ? 'did not run' : `exit ${call.exitCode}`;
}

/** Whether the call went well, badly, or never ran, for its colour. */
export function callKind(call: BridgeCall): 'ok' | 'failed' | 'refused' {
  if (call.refused !== undefined || call.exitCode === undefined) return 'refused';
  return call.exitCode === 0 ? 'ok' : 'failed';
}

/** `5s ago`, measured from `now`. */
export function callAge(call: BridgeCall, now: number): string {
  return `${ago(new Date(call.at).toISOString(), now)} ago`;
}

/** A call as one line: command, outcome, duration, age, and why it was refused (the screen colours the parts). */
export function callLine(call: BridgeCall, now: number): string {
  const line = [
    call.command.padEnd(14),
    callOutcome(call).padEnd(11),
    formatDuration(call.durationMs).padStart(7),
    `  ${callAge(call, now).padEnd(8)}`,
    call.refused ?? '',
  ].join(' ');
  return line.trimEnd();
}

/** The commands that reach a sidecar, or why none does. */
export function sidecarCommands(sidecar: Sidecar): string {
  return sidecar.commands.length ? sidecar.commands.join(', ') : 'not bridged';
}

/** A joined network as a person reads it: its name, and whose it is or that it is missing. */
export function networkLine(network: JoinedNetwork): string {
  if (!network.exists) return `${network.name}  missing: up will refuse to start until it exists`;
  return network.composeProject ? `${network.name}  compose project ${network.composeProject}` : network.name;
}
