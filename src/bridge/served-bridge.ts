import type { BridgeCommand, BridgePolicy, BridgeTarget } from '../config/bridge-policy.js';

/**
 * What the relay serves: the commands that are in the approved bridge and, the same in every
 * respect, in `.claude/bridge.yaml` as it is now. The live file can only take away: a command
 * the person deleted or changed stops at once, without waiting for their next `up` or for a
 * widening the agent keeps pending; nothing it adds runs before it is approved.
 */
export interface ServedBridge {
  policy: BridgePolicy | undefined;
  /** Why nothing is served although a bridge is approved (the live file gone, unreadable, invalid). */
  none?: string;
  /** Why an approved command is not served now, by name. */
  withheld: Map<string, string>;
}

/** The live file as read: its bridge, or why it has none. */
export type LiveBridge = { policy: BridgePolicy } | { problem: string };

export const NOTHING_SERVED: ServedBridge = { policy: undefined, withheld: new Map() };

export function servedBridge(approved: BridgePolicy | undefined, live: LiveBridge): ServedBridge {
  if (!approved) return NOTHING_SERVED;
  if ('problem' in live) return { policy: undefined, none: live.problem, withheld: new Map() };
  if (live.policy.composeProject !== approved.composeProject) {
    const none = `.claude/bridge.yaml now names the compose project ${live.policy.composeProject}, not the approved ${approved.composeProject}; nothing is served until it is approved`;
    return { policy: undefined, none, withheld: new Map() };
  }
  const commands = Object.create(null) as BridgePolicy['commands'];
  const containers = Object.create(null) as BridgePolicy['containers'];
  const withheld = new Map<string, string>();
  for (const [name, entry] of Object.entries(approved.commands)) {
    const now = Object.hasOwn(live.policy.commands, name) ? live.policy.commands[name] : undefined;
    if (!now) {
      withheld.set(name, `${name} was taken out of .claude/bridge.yaml`);
    } else if (!sameCommand(approved, entry, live.policy, now)) {
      withheld.set(
        name,
        `${name} was changed in .claude/bridge.yaml; it runs again once the change is approved`,
      );
    } else {
      commands[name] = entry;
      containers[entry.container] = approved.containers[entry.container]!;
    }
  }
  return { policy: { ...approved, containers, commands }, withheld };
}

/** The same command: what it runs, where, as whom, with which variables, in the same container. */
export function sameCommand(
  a: BridgePolicy,
  entryA: BridgeCommand,
  b: BridgePolicy,
  entryB: BridgeCommand,
): boolean {
  return (
    a.composeProject === b.composeProject &&
    entryA.exec === entryB.exec &&
    entryA.workdir === entryB.workdir &&
    entryA.user === entryB.user &&
    [...entryA.env].sort().join(' ') === [...entryB.env].sort().join(' ') &&
    sameTarget(a.containers[entryA.container], b.containers[entryB.container])
  );
}

function sameTarget(a: BridgeTarget | undefined, b: BridgeTarget | undefined): boolean {
  return a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a call planned from `was` may keep running under `now`. */
export function stillServed(was: BridgePolicy, name: string, now: ServedBridge): boolean {
  const entry = was.commands[name];
  const current =
    now.policy && Object.hasOwn(now.policy.commands, name) ? now.policy.commands[name] : undefined;
  return entry !== undefined && current !== undefined && sameCommand(was, entry, now.policy!, current);
}
