import { isUserFacing } from '../errors.js';
import { allowsHost } from '../policy/classify-change.js';
import type { HostRunChange } from '../policy/host-run-watch.js';
import type { EffectivePolicy } from '../policy/interpret-policy.js';
import { mcpReachNotes } from '../policy/mcp-changes.js';
import type { PolicyReview } from '../policy/review-policy.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { lendBridge } from '../project/lend-bridge.js';
import { lendHost, refreshGitIdentity } from '../project/lend-host.js';
import { up, type UpDeps, type UpResult } from '../project/up.js';
import { syncMcpSettings } from '../session/mcp-settings.js';
import { loadPlan, npmRegistryFor, placementOf, type PolicyUse } from './load-plan.js';
import { placeEngineFiles, publishEngineFiles } from '../project/engine-files.js';
import { placeOnEngine } from '../project/remote-project.js';
import { changedHostRunFiles, resetHostRunWatch } from './project-alerts.js';
import { containerShadows, secretNotesAfterUp } from './secret-shadow-report.js';

/**
 * `up` as the person asks for it: plan from the approved policy and the app settings, bring the
 * containers to that plan, and remember the project once something was made for it. Files that
 * run on the host and changed since the last `up` are reported, then watched from now on.
 */
export async function upProject(
  services: HostServices,
  project: ProjectIdentity,
  progress: UpDeps['progress'],
  options: { approveAll?: boolean } = {},
): Promise<
  UpResult & {
    review: PolicyReview;
    hostRunChanged: HostRunChange[];
    mcpNotes: string[];
    secretNotes: string[];
  }
> {
  const use: PolicyUse = options.approveAll ? 'approve-all' : 'apply';
  // Asked at once, answered in order: a policy that cannot be approved is said before Docker is.
  const agentAsked = services.engine.inspectContainer(project.names.agent);
  agentAsked.catch(() => undefined);
  const { engine } = services;
  const { review, plan, app } = await loadPlan(services, project, use, placementOf(engine));
  const agentBefore = await agentAsked;
  const measured = await changedHostRunFiles(services, project, app);
  const { notes, ...lent } = await lendHost(
    services,
    project,
    plan.runtime.hostUser,
    review.approved.config,
    {
      identity: 'if-missing',
    },
  );
  for (const note of notes) progress.note(note);
  // Before the containers: they mount its folder (a remote project has no bridge: see planProject).
  const bridgeNotes = engine.remote
    ? []
    : await lendBridge(services, project, plan.runtime.hostUser, review.approved.bridge !== undefined);
  for (const note of bridgeNotes) progress.note(note);
  const lentRuntime = { ...plan.runtime, ...lent };
  const runtime = engine.remote
    ? placeOnEngine(lentRuntime, await placeEngineFiles(engine, project))
    : lentRuntime;
  const result = await up(
    { engine, progress, npmRegistry: npmRegistryFor(services, review.approved.config) },
    project,
    { ...plan, runtime },
  );
  if (result.changed) {
    await refreshGitIdentity(services, project);
    if (engine.remote) await publishEngineFiles(engine, project, plan.stateDir, runtime.image);
  }
  if (result.changed) await services.settings.rememberProject(project.dir, services.engineRef);
  const mcpNotes = await applyMcpServers(services, project, review.approved, plan.stateDir);
  // Told once, here, and measured from now on (a baseline that still holds is kept as it is).
  if (!measured || measured.length) await resetHostRunWatch(services, project, app);
  const agentMade = result.actions.some(
    (a) => /^(created|replaced) /.test(a) && a.endsWith(project.names.agent),
  );
  const before = agentBefore && containerShadows(agentBefore, plan.stateDir);
  const secretNotes = secretNotesAfterUp(plan.secrets, before, agentMade);
  return { ...result, review, hostRunChanged: measured ?? [], mcpNotes, secretNotes };
}

/**
 * The approved MCP servers into the agent's settings (the firewall opened their host ports with
 * the rest of the plan). What stands in their way is said, not thrown: the project is up.
 */
async function applyMcpServers(
  services: HostServices,
  project: ProjectIdentity,
  approved: EffectivePolicy,
  stateDir: string,
): Promise<string[]> {
  const notes = mcpReachNotes(approved.config, (host) => allowsHost(approved, host));
  try {
    await syncMcpSettings(services.engine, project, approved.config, stateDir, 'up');
  } catch (error) {
    if (!isUserFacing(error)) throw error;
    notes.push(error.message);
  }
  return notes;
}
