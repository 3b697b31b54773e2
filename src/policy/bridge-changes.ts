import type { BridgeCommand, BridgePolicy, BridgeTarget } from '../config/bridge-policy.js';

type Say = (text: string) => void;

/**
 * Two bridge policies compared. Whatever lets the agent run more, elsewhere, as someone else or
 * with more of its environment widens: a bridge appearing, another compose project, a container
 * added or pointed elsewhere, a command added or changed in any way (even an env list made
 * shorter: it is still another command than the one approved). Only commands and unused
 * containers taken away, or the whole bridge, narrow.
 */
export function compareBridge(
  was: BridgePolicy | undefined,
  now: BridgePolicy | undefined,
  on: { widen: Say; narrow: Say },
): void {
  if (!now) {
    if (was) on.narrow(`removes the command bridge${listed(Object.keys(was.commands))}`);
    return;
  }
  if (!was) on.widen(`adds a command bridge into the compose project ${now.composeProject}`);
  else if (was.composeProject !== now.composeProject) {
    on.widen(
      `moves the command bridge to the compose project ${now.composeProject} (was ${was.composeProject})`,
    );
  }
  const before = was ?? { defaultContainer: undefined, containers: {}, commands: {} };
  compareContainers(before.containers, now.containers, on);
  if (now.defaultContainer !== before.defaultContainer) {
    if (now.defaultContainer) on.widen(`makes ${now.defaultContainer} the bridge's default container`);
    else on.narrow("drops the bridge's default container");
  }
  compareCommands(before.commands, now, on);
}

/** A command and where it goes, as a person reads it: `php → service php, runs php in /app as www-data`. */
export function describeBridgeCommand(name: string, command: BridgeCommand, policy: BridgePolicy): string {
  const target = own(policy.containers, command.container);
  const where = target ? describeTarget(target) : `container ${command.container}`;
  const folder = command.workdir ? ` in ${command.workdir}` : '';
  const user = command.user ? `as ${command.user}` : 'as your own uid:gid';
  const env = command.env.length ? `, passing ${command.env.join(', ')} from the agent` : '';
  return `${name} → ${where}, runs ${command.exec}${folder} ${user}${env}`;
}

export function describeTarget(target: BridgeTarget): string {
  if ('service' in target) return `service ${target.service}`;
  if ('containerName' in target) return `container ${target.containerName}`;
  return `service or container ${target.serviceOrContainer}`;
}

function compareContainers(
  was: BridgePolicy['containers'],
  now: BridgePolicy['containers'],
  on: { widen: Say; narrow: Say },
): void {
  for (const [name, target] of Object.entries(now)) {
    const old = own(was, name);
    if (!old) on.widen(`adds the bridge container ${name} → ${describeTarget(target)}`);
    else if (!same(old, target)) {
      on.widen(
        `points the bridge container ${name} at ${describeTarget(target)} (was ${describeTarget(old)})`,
      );
    }
  }
  for (const name of Object.keys(was)) {
    if (!Object.hasOwn(now, name)) on.narrow(`removes the bridge container ${name}`);
  }
}

function compareCommands(
  was: BridgePolicy['commands'],
  now: BridgePolicy,
  on: { widen: Say; narrow: Say },
): void {
  for (const [name, command] of Object.entries(now.commands)) {
    const old = own(was, name);
    if (old && same(old, command)) continue;
    on.widen(`${old ? 'changes' : 'adds'} the bridge command ${describeBridgeCommand(name, command, now)}`);
  }
  for (const name of Object.keys(was)) {
    if (!Object.hasOwn(now.commands, name)) on.narrow(`removes the bridge command ${name}`);
  }
}

/** A name's entry, never one of Object's own properties (a command may be called constructor). */
function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function listed(names: string[]): string {
  return names.length ? ` (${names.join(', ')})` : '';
}

/** Key order aside: the policies are built in the file's order, which may differ between two. */
function same(a: object, b: object): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: object): [string, unknown][] {
  return Object.entries(value).sort(([x], [y]) => x.localeCompare(y));
}
