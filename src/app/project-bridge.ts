import { bridgeCallLogPath, bridgeRefusalLogPath, type BridgeCall } from '../bridge/call-log.js';
import { readRecentBridgeCalls } from '../bridge/recent-calls.js';
import { listSidecars, type SidecarView } from '../bridge/sidecars.js';
import type { BridgePolicy } from '../config/bridge-policy.js';
import type { DockerEngine, NetworkInspect } from '../docker/engine.js';
import { COMPOSE_LABEL } from '../docker/labels.js';
import { approvedPolicy } from '../policy/approved-config.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';

/** A Docker network the project's gateway joins besides its own (`networks:` in its config). */
export interface JoinedNetwork {
  name: string;
  /** Whether the Engine has it: `up` refuses a project whose network is missing. */
  exists: boolean;
  /** The compose project it belongs to, when compose made it. */
  composeProject: string | undefined;
}

/** What the project reaches beside the internet: networks it joins, its sidecars, the bridge's calls. */
export interface ProjectBridge {
  /** The approved command bridge; undefined without one. */
  policy: BridgePolicy | undefined;
  networks: JoinedNetwork[];
  /** Undefined when the approved policy has no command bridge. */
  sidecars: SidecarView | undefined;
  /** The bridge's last calls, newest first. */
  calls: BridgeCall[];
}

/** How many calls the dashboard and `status` show. */
export const RECENT_CALLS = 50;

type BridgeServices = Pick<HostServices, 'env'> & {
  engine: Pick<DockerEngine, 'listContainers' | 'listNetworks'>;
};

/**
 * As the approved policy says (never the files as they are now, which are a proposal): two Engine
 * calls at most, one list of networks and one of the compose project's containers, and the end of
 * the call log.
 */
export async function describeProjectBridge(
  services: BridgeServices,
  project: ProjectIdentity,
  callLimit = RECENT_CALLS,
): Promise<ProjectBridge> {
  const stateDir = projectStateDir(project, services.env);
  const policy = await approvedPolicy(project.dir, stateDir);
  const { bridge } = policy;
  const names = policy.config.networks ?? [];
  const [networks, sidecars, calls] = await Promise.all([
    names.length ? services.engine.listNetworks({}) : Promise.resolve([]),
    bridge ? listSidecars(services.engine, bridge.composeProject, bridge) : Promise.resolve(undefined),
    readRecentBridgeCalls(callLogFiles(stateDir), callLimit),
  ]);
  return {
    policy: bridge,
    networks: names.map((name) => joinedNetwork(name, networks)),
    sidecars,
    calls,
  };
}

/** Only the calls, for following them often without asking the Engine. */
export function recentBridgeCalls(
  services: Pick<HostServices, 'env'>,
  project: ProjectIdentity,
  callLimit = RECENT_CALLS,
): Promise<BridgeCall[]> {
  return readRecentBridgeCalls(callLogFiles(projectStateDir(project, services.env)), callLimit);
}

const callLogFiles = (stateDir: string) => ({
  calls: bridgeCallLogPath(stateDir),
  refusals: bridgeRefusalLogPath(stateDir),
});

function joinedNetwork(name: string, networks: readonly NetworkInspect[]): JoinedNetwork {
  // Docker takes a network's name or its id (or a prefix of it) wherever it takes a network.
  const found = networks.find((n) => n.Name === name) ?? networks.find((n) => n.Id.startsWith(name));
  return { name, exists: Boolean(found), composeProject: found?.Labels?.[COMPOSE_LABEL.project] };
}
