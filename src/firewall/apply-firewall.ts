import type { DockerEngine } from '../docker/engine.js';
import { UserError } from '../errors.js';
import { log } from '../log.js';
import { reloadFirewall } from './gateway-control.js';
import type { FirewallPolicy } from './policy.js';
import { writePolicy, type WrittenPolicy } from './policy-store.js';

export interface ApplyResult {
  /** The gateway's status line after the reload, or why nothing was reloaded. */
  status: string;
  applied: boolean;
}

/**
 * Writes the policy and has a running gateway apply it at once (no restart; connections already
 * open stay open). A gateway that is not running applies it when it starts.
 */
export async function applyFirewall(
  engine: DockerEngine,
  gateway: string,
  projectStateDir: string,
  policy: FirewallPolicy,
  /** For a remote project: sends the written files to its Engine (see writePolicy). */
  publish?: () => Promise<unknown>,
): Promise<ApplyResult> {
  const written = await writePolicy(projectStateDir, policy, publish);
  const container = await engine.inspectContainer(gateway);
  if (!container?.State.Running) {
    return { status: 'the project is not up; the gateway applies this when it starts', applied: false };
  }
  return { status: await reloadOrRollBack(engine, gateway, written), applied: true };
}

/**
 * Has the gateway apply the policy just written. If it cannot, the previous files go back and are
 * applied again; if even that fails, the gateway has already said `unprotected: reason` (it denies
 * everything it has not applied), and the person is told both failures, never one in silence.
 */
export async function reloadOrRollBack(
  engine: DockerEngine,
  gateway: string,
  written: WrittenPolicy,
): Promise<string> {
  try {
    return await reloadFirewall(engine, gateway);
  } catch (error) {
    await written.restore();
    try {
      const status = await reloadFirewall(engine, gateway);
      log.warn('firewall: the new policy failed; the previous one is back', {
        gateway,
        error: String(error),
        status,
      });
    } catch (rollback) {
      log.error('firewall: the new policy failed and the previous one could not be applied again', {
        gateway,
        error: String(error),
        rollback: String(rollback),
      });
      throw new UserError(
        `The gateway could not apply the new firewall policy (${reason(error)}), and applying the previous one again failed too (${reason(rollback)}).`,
        'The project is unprotected and denies what it cannot check; `claude-tui status` shows why. Fix the cause and run `claude-tui allow apply`.',
      );
    }
    throw error;
  }
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(
    /^The gateway could not apply the firewall: /,
    '',
  );
}
