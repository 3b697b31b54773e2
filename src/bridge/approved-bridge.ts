import type { BridgePolicy } from '../config/bridge-policy.js';

/**
 * The approved policy's bridge, for showing it. EffectivePolicy.bridge is the approved
 * bridge.yaml's raw text until its parser lands, and a BridgePolicy after; this takes either and
 * gives the BridgePolicy or nothing, so what shows sidecars does not depend on which it is. Once
 * `bridge` is a BridgePolicy | undefined, the one call of this becomes `policy.bridge`.
 */
export function bridgePolicyOf(value: unknown): BridgePolicy | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { composeProject, containers, commands } = value as Record<string, unknown>;
  if (typeof composeProject !== 'string' || !composeProject) return undefined;
  if (!isRecord(containers) || !isRecord(commands)) return undefined;
  const wellFormed = Object.values(commands).every(
    (command) => isRecord(command) && typeof command.container === 'string',
  );
  return wellFormed ? (value as BridgePolicy) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
