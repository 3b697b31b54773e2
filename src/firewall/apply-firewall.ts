import type { DockerEngine } from '../docker/engine.js';
import { reloadFirewall } from './gateway-control.js';
import type { FirewallPolicy } from './policy.js';
import { writePolicy } from './policy-store.js';

export interface ApplyResult {
  /** The gateway's status line after the reload, or why nothing was reloaded. */
  status: string;
  applied: boolean;
}

/**
 * Writes the policy and has a running gateway apply it at once (no restart; connections already
 * open stay open). A gateway that is not running applies it when it starts. A failed reload puts
 * the previous policy files back.
 */
export async function applyFirewall(
  engine: DockerEngine,
  gateway: string,
  projectStateDir: string,
  policy: FirewallPolicy,
): Promise<ApplyResult> {
  const written = await writePolicy(projectStateDir, policy);
  const container = await engine.inspectContainer(gateway);
  if (!container?.State.Running) {
    return { status: 'the project is not up; the gateway applies this when it starts', applied: false };
  }
  try {
    return { status: await reloadFirewall(engine, gateway), applied: true };
  } catch (error) {
    // Back to the rules that were in force: the old files, applied again.
    await written.restore();
    await reloadFirewall(engine, gateway).catch(() => undefined);
    throw error;
  }
}
