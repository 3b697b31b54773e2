import { log } from '../log.js';
import {
  bridgeRelayPaths,
  ensureBridgeRelay,
  prepareBridgeDir,
  runningBridgeRelay,
  stopBridgeRelay,
} from '../bridge/relay-files.js';
import type { HostServices } from './host-services.js';
import type { HostUser } from './host-user.js';
import type { ProjectIdentity } from './identity.js';
import { projectStateDir } from './project-state-dir.js';
import { agentUserIds } from './ssh-relay.js';

/**
 * Brings the project's command bridge to the approved policy, as `up` and every session start
 * do: its folder always exists (the agent containers mount it, so a bridge approved later needs
 * no new container), and its relay runs while a bridge.yaml is approved: started when it is not
 * running (a host restart, a relay that died), ended when the approval no longer has one.
 * Returns what the person should hear.
 */
export async function lendBridge(
  services: Pick<HostServices, 'processes' | 'env' | 'cliPath'>,
  project: ProjectIdentity,
  hostUser: HostUser,
  approved: boolean,
): Promise<string[]> {
  const paths = bridgeRelayPaths(projectStateDir(project, services.env));
  await prepareBridgeDir(paths, agentUserIds(hostUser), process.getuid?.() === 0);
  if (!approved) {
    if (await runningBridgeRelay(paths)) await stopBridgeRelay(paths);
    return [];
  }
  const { cliPath } = services;
  const started =
    cliPath !== undefined &&
    (await ensureBridgeRelay(paths, () =>
      services.processes.spawnDetached(process.execPath, [cliPath, 'bridge-relay', project.dir], {
        env: services.env,
      }),
    ));
  if (started) return [];
  log.warn('the bridge relay did not start', { project: project.dir });
  return [
    'The command bridge (bridge.yaml) did not start (see the log); its commands fail until the next up.',
  ];
}
