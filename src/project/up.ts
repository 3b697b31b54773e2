import type {
  ContainerCreateBody,
  ContainerInspect,
  ContainerSummary,
  DockerEngine,
} from '../docker/engine.js';
import { LABEL, managedLabels, projectFilter } from '../docker/labels.js';
import { UserError } from '../errors.js';
import { reloadOrRollBack } from '../firewall/apply-firewall.js';
import { readFirewallStatus } from '../firewall/gateway-control.js';
import { writePolicy } from '../firewall/policy-store.js';
import { ensureImage, type BuildProgress } from '../image/ensure-image.js';
import { log } from '../log.js';
import { agentSpec, gatewaySpec } from './container-specs.js';
import { pathHash, type ProjectIdentity } from './identity.js';
import { assertOwned } from './ownership.js';
import type { ProjectPlan } from './project-runtime.js';
import { writeInodeRecord } from './secret-inodes.js';
import { ensureEmptyShadowFile } from './secret-shadows.js';
import { publishEngineFiles } from './engine-files.js';
import { startRefusal } from './start-refusal.js';
import { agentLeftBehind, inspectPair } from './shared-namespace.js';
import { UndoStack } from './undo-stack.js';
import { waitUntilReady } from './wait-ready.js';

export interface UpDeps {
  engine: DockerEngine;
  progress: BuildProgress & { note(message: string): void };
  npmRegistry: () => Promise<string>;
  readyTimeoutMs?: number;
}

export interface UpResult {
  /** False when everything was already up and current: nothing was touched. */
  changed: boolean;
  imageBuilt: boolean;
  /** The firewall was re-applied to a running gateway because its policy changed. */
  firewallReloaded: boolean;
  firewall: string;
  actions: string[];
}

type ContainerAction = 'kept' | 'started' | 'restarted' | 'created' | 'replaced';

/** One container as `up` makes it: its name, its create body, and the networks it joins after create. */
export interface ProjectContainer {
  name: string;
  spec: ContainerCreateBody;
  /** Joined after create: the Engine's create (API 1.41) takes one network. */
  extraNetworks: string[];
}

/**
 * The project's containers as `up` makes them, each spec with a label holding its own hash (a
 * container whose hash differs is outdated). `compose` exports exactly these.
 */
export function projectContainers(
  project: ProjectIdentity,
  plan: Pick<ProjectPlan, 'inputs' | 'runtime'>,
): { gateway: ProjectContainer; agent: ProjectContainer } {
  const stamp = (spec: ContainerCreateBody): ContainerCreateBody => ({
    ...spec,
    Labels: {
      ...spec.Labels,
      [LABEL.imageInputs]: plan.inputs.hash,
      [LABEL.spec]: pathHash(JSON.stringify(spec)),
    },
  });
  return {
    gateway: {
      name: project.names.gateway,
      spec: stamp(gatewaySpec(project, plan.runtime)),
      extraNetworks: plan.runtime.networks,
    },
    agent: { name: project.names.agent, spec: stamp(agentSpec(project, plan.runtime)), extraNetworks: [] },
  };
}

const specOf = (labels: Record<string, string> | null | undefined) => labels?.[LABEL.spec];

/**
 * Brings a project's network, home volume, gateway, agent and firewall policy to the state the
 * plan describes. Running it twice is a no-op; a failure part-way takes back what this run changed.
 */
export async function up(deps: UpDeps, project: ProjectIdentity, plan: ProjectPlan): Promise<UpResult> {
  const { engine } = deps;
  const planned = projectContainers(project, plan);
  const specs = { gateway: planned.gateway.spec, agent: planned.agent.spec };
  const replaced = await prepareShadowFiles(plan);
  const policy = await writePolicy(plan.stateDir, plan.firewall, publisherFor(engine, project, plan));
  try {
    // The list decides the common case; the pair's start times, asked at the same moment, whether
    // the agent must rejoin a gateway that restarted.
    const [containers, pair] = await Promise.all([
      engine.listContainers(projectFilter(project.id)),
      inspectPair(engine, project),
    ]);
    // An agent its own start checks refused is running only between Docker's restarts: started again.
    const refused =
      pair && pair.agent.RestartCount > 0 ? await startRefusal(engine, project.names.agent) : undefined;
    if (isCurrent(containers, project, specs) && !refused) {
      const rejoined = await rejoinGateway(deps, project, pair);
      const actions = rejoined ? [REJOINED] : [];
      if (!rejoined && replaced.length) actions.push(await reshadow(deps, project, replaced));
      if (!policy.changed) {
        return {
          changed: actions.length > 0,
          imageBuilt: false,
          firewallReloaded: false,
          firewall: '',
          actions,
        };
      }
      const firewall = await reloadOrRollBack(engine, project.names.gateway, policy);
      return {
        changed: true,
        imageBuilt: false,
        firewallReloaded: true,
        firewall,
        actions: [...actions, 'applied the firewall'],
      };
    }
    const result = await bringUp(deps, project, plan, planned, replaced.length > 0 || refused !== undefined);
    let firewall = await readFirewallStatus(engine, project.names.gateway);
    if (result.gatewayKept && policy.changed) {
      firewall = await reloadOrRollBack(engine, project.names.gateway, policy);
      result.actions.push('applied the firewall');
    }
    return {
      changed: true,
      imageBuilt: result.imageBuilt,
      firewallReloaded: false,
      firewall,
      actions: result.actions,
    };
  } catch (error) {
    await policy.restore();
    throw error;
  }
}

async function bringUp(
  deps: UpDeps,
  project: ProjectIdentity,
  plan: ProjectPlan,
  containers: { gateway: ProjectContainer; agent: ProjectContainer },
  /** A running agent starts again: a shadow was replaced on the host, or its last start was refused. */
  restartAgent: boolean,
): Promise<{ imageBuilt: boolean; gatewayKept: boolean; actions: string[] }> {
  const { engine } = deps;
  const specs = { gateway: containers.gateway.spec, agent: containers.agent.spec };
  const { names } = project;
  const [gateway, agent, network, home] = await Promise.all([
    engine.inspectContainer(names.gateway),
    engine.inspectContainer(names.agent),
    engine.inspectNetwork(names.network),
    engine.inspectVolume(names.homeVolume),
  ]);
  if (gateway) assertOwned(project, 'container', names.gateway, 'gateway', gateway.Config.Labels);
  if (agent) assertOwned(project, 'container', names.agent, 'agent', agent.Config.Labels);
  if (network) assertOwned(project, 'network', names.network, 'network', network.Labels);
  if (home) assertOwned(project, 'volume', names.homeVolume, 'home', home.Labels);
  const agentKept =
    agent !== undefined &&
    gateway !== undefined &&
    specOf(agent.Config.Labels) === specOf(specs.agent.Labels) &&
    specOf(gateway.Config.Labels) === specOf(specs.gateway.Labels) &&
    agent.HostConfig.NetworkMode === `container:${gateway.Id}`;
  if (plan.runtime.secretShadows && plan.secrets.truncated && !agentKept) throw searchCutShort(plan);
  await assertNetworksExist(engine, plan.runtime.networks);

  const image = await ensureImage(
    { engine, progress: deps.progress, npmRegistry: deps.npmRegistry },
    plan.inputs,
  );
  // A remote project's files go to its Engine once there is an image to carry them with.
  const publish = publisherFor(engine, project, plan);
  if (publish && !(await publish())) throw new Error(`the image ${image.tag} was built and is not there`);
  const actions: string[] = [];
  const undo = new UndoStack();
  const onSuccess: (() => Promise<void>)[] = [];
  try {
    // Runs last on a rollback, once the gateway is back: a running agent must end up running.
    if (agent?.State.Running) undo.push('agent running again', () => engine.startContainer(names.agent));
    if (!network) {
      await engine.createNetwork(names.network, managedLabels('network', project));
      undo.push('network', () => engine.removeNetwork(names.network));
      actions.push(`created network ${names.network}`);
    }
    if (!home) {
      await engine.createVolume(names.homeVolume, managedLabels('home', project));
      undo.push('home volume', () => engine.removeVolume(names.homeVolume));
      actions.push(`created volume ${names.homeVolume}`);
    }
    const context = { engine, undo, onSuccess, actions };
    const gatewayResult = await ensureContainer(context, names.gateway, gateway, specs.gateway, {
      replace: gateway !== undefined && specOf(gateway.Config.Labels) !== specOf(specs.gateway.Labels),
      restartIfRunning: false,
      networks: containers.gateway.extraNetworks,
    });
    // The agent lives in the gateway's network namespace: a new gateway needs a new agent, and a
    // gateway that was started (by this run, or restarted on its own since the agent started) has
    // a namespace a running agent is not in.
    const joinsGateway = agent?.HostConfig.NetworkMode === `container:${gatewayResult.id}`;
    const leftBehind = gateway !== undefined && agent !== undefined && agentLeftBehind(gateway, agent);
    await ensureContainer(context, names.agent, agent, specs.agent, {
      replace:
        agent !== undefined && (specOf(agent.Config.Labels) !== specOf(specs.agent.Labels) || !joinsGateway),
      restartIfRunning: gatewayResult.action !== 'kept' || leftBehind || restartAgent,
      networks: containers.agent.extraNetworks,
    });
    if (gatewayResult.action === 'replaced' || gatewayResult.action === 'created') {
      // A git session's container joined the gateway that is gone; its session ended with it. Its
      // clone is a volume of its own and stays (`start --git --name NAME` goes on in it).
      const stale = (await engine.listContainers(projectFilter(project.id))).filter(
        (c) => c.Labels[LABEL.role] === 'git-agent',
      );
      onSuccess.push(async () => {
        for (const container of stale) await engine.removeContainer(container.Id);
      });
      if (stale.length)
        actions.push(`removed ${stale.length} git session container(s) of the old gateway (clones kept)`);
    }
    deps.progress.note('waiting for the containers to finish starting');
    await waitUntilReady(engine, names.gateway, { timeoutMs: deps.readyTimeoutMs });
    await waitUntilReady(engine, names.agent, { timeoutMs: deps.readyTimeoutMs });
    for (const step of onSuccess) await step();
    return { imageBuilt: image.built, gatewayKept: gatewayResult.action === 'kept', actions };
  } catch (error) {
    log.warn('up failed; rolling back', { project: project.dir, error: String(error) });
    await undo.rollBack();
    throw error;
  }
}

/** The networks the config asks the gateway to join are the person's to make; said before anything is. */
export async function assertNetworksExist(engine: DockerEngine, networks: readonly string[]): Promise<void> {
  for (const extra of networks) {
    if (!(await engine.inspectNetwork(extra))) {
      throw new UserError(
        `The Docker network ${extra} (from networks in .claude/claude-tui.yaml) does not exist.`,
        `Create it (docker network create ${extra}) or remove it from the config.`,
      );
    }
  }
}

/** How a remote project's files reach its Engine (engine-files.ts); a local project's are bound as they are. */
function publisherFor(
  engine: DockerEngine,
  project: ProjectIdentity,
  plan: ProjectPlan,
): (() => Promise<boolean>) | undefined {
  if (!plan.runtime.remote) return undefined;
  return () => publishEngineFiles(engine, project, plan.stateDir, plan.runtime.image);
}

const REJOINED = "restarted the agent inside the gateway's new network namespace";

/**
 * The empty file, and the inode record the check at each start reads, before any container mounts
 * them. The record is left as it was when the search was cut short (no agent is made then). Says
 * which shadowed files were replaced on the host since the last `up`.
 */
export async function prepareShadowFiles(plan: ProjectPlan): Promise<string[]> {
  const shadows = plan.runtime.secretShadows;
  if (!shadows) return [];
  await ensureEmptyShadowFile(shadows.emptyFile);
  if (plan.secrets.truncated) return [];
  await writeInodeRecord(shadows.inodeFile, shadows.record);
  return shadows.replacedOnHost;
}

/**
 * A shadowed file replaced on the host (an editor saving by rename) lost its mount inside: Linux
 * drops a mount whose file is replaced from another mount namespace. A restart mounts it again.
 */
async function reshadow(deps: UpDeps, project: ProjectIdentity, replaced: string[]): Promise<string> {
  deps.progress.note('shadowed files were replaced on the host since the last up: restarting the agent');
  await deps.engine.restartContainer(project.names.agent, 5);
  await waitUntilReady(deps.engine, project.names.agent, { timeoutMs: deps.readyTimeoutMs });
  return `restarted ${project.names.agent} to shadow again what was replaced on the host: ${replaced.slice(0, 5).join(', ')}${replaced.length > 5 ? ', ...' : ''}`;
}

/** Fail closed: an agent container made from part of the project would leave the rest readable. */
export function searchCutShort(plan: ProjectPlan): UserError {
  return new UserError(
    `The search for secret files stopped early: ${plan.secrets.truncatedBecause ?? 'it hit a cap'}. ` +
      'The agent container is not made from part of the project (what lies beyond would be readable).',
    'Delete files that should not be there, or add approved `secrets.expose` entries (folders that ' +
      'hold no secrets) or `secrets.shadow` entries (whole folders) in .claude/claude-tui.yaml to ' +
      'search less, then run `claude-tui up` again.',
  );
}

/**
 * A gateway that restarted on its own (its own crash, `docker restart`) leaves a running agent in
 * its old network namespace, where nothing resolves or answers. The agent notices by itself after
 * a few seconds; `up` does not wait for that: it restarts the agent into the namespace at once.
 */
async function rejoinGateway(
  deps: UpDeps,
  project: ProjectIdentity,
  pair: Awaited<ReturnType<typeof inspectPair>>,
): Promise<boolean> {
  if (!pair || !agentLeftBehind(pair.gateway, pair.agent)) return false;
  deps.progress.note('the gateway restarted since the agent did: restarting the agent to rejoin it');
  await deps.engine.restartContainer(project.names.agent, 5);
  await waitUntilReady(deps.engine, project.names.agent, { timeoutMs: deps.readyTimeoutMs });
  return true;
}

/** One list call decides the common case: both containers running, current, and joined. */
export function isCurrent(
  containers: ContainerSummary[],
  project: ProjectIdentity,
  specs: { gateway: ContainerCreateBody; agent: ContainerCreateBody },
): boolean {
  const byName = (name: string) => containers.find((c) => c.Names.includes(`/${name}`));
  const gateway = byName(project.names.gateway);
  const agent = byName(project.names.agent);
  if (!gateway || !agent) return false;
  return (
    gateway.State === 'running' &&
    agent.State === 'running' &&
    specOf(gateway.Labels) === specOf(specs.gateway.Labels) &&
    specOf(agent.Labels) === specOf(specs.agent.Labels) &&
    agent.HostConfig?.NetworkMode === `container:${gateway.Id}`
  );
}

interface EnsureContext {
  engine: DockerEngine;
  undo: UndoStack;
  onSuccess: (() => Promise<void>)[];
  actions: string[];
}

async function ensureContainer(
  { engine, undo, onSuccess, actions }: EnsureContext,
  name: string,
  existing: ContainerInspect | undefined,
  spec: ContainerCreateBody,
  options: { replace: boolean; restartIfRunning: boolean; networks: string[] },
): Promise<{ id: string; action: ContainerAction }> {
  if (existing && !options.replace) {
    if (existing.State.Restarting === true) {
      // In Docker's restart loop (its start failed, the agent's check refused): stopped first, so
      // that no restart Docker still has pending comes after this start.
      await engine.stopContainer(name, 5);
      await engine.startContainer(name);
      actions.push(`restarted ${name}`);
      return { id: existing.Id, action: 'restarted' };
    }
    if (existing.State.Running && !options.restartIfRunning) return { id: existing.Id, action: 'kept' };
    if (existing.State.Running) {
      await engine.restartContainer(name, 5);
      actions.push(`restarted ${name}`);
      return { id: existing.Id, action: 'restarted' };
    }
    await engine.startContainer(name);
    undo.push(`start ${name}`, () => engine.stopContainer(name, 5));
    actions.push(`started ${name}`);
    return { id: existing.Id, action: 'started' };
  }

  if (existing) {
    // Set the old container aside rather than deleting it, so a failure can put it back.
    const asideName = `${name}-replaced-${Date.now()}`;
    await engine.renameContainer(existing.Id, asideName);
    undo.push(`rename ${name}`, () => engine.renameContainer(existing.Id, name));
    if (existing.State.Running) {
      await engine.stopContainer(existing.Id, 5);
      undo.push(`stop ${name}`, () => engine.startContainer(existing.Id));
    }
    onSuccess.push(() => engine.removeContainer(existing.Id));
  }
  const id = await engine.createContainer(name, spec);
  undo.push(`create ${name}`, () => engine.removeContainer(id));
  for (const network of options.networks) await engine.connectNetwork(network, id);
  await engine.startContainer(id);
  actions.push(`${existing ? 'replaced' : 'created'} ${name}`);
  return { id, action: existing ? 'replaced' : 'created' };
}
