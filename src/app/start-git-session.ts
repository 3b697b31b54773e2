import { LABEL, managedLabels } from '../docker/labels.js';
import { UserError } from '../errors.js';
import { createGitRunner, type GitRunner } from '../git/git-runner.js';
import { CLONE_BASE, planSeed, seedClone, type SeedPlan } from '../git/seed-clone.js';
import { sessionRefs } from '../git/types.js';
import { gitAgentSpec } from '../project/container-specs.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { lendHost } from '../project/lend-host.js';
import { UndoStack } from '../project/undo-stack.js';
import { waitUntilReady } from '../project/wait-ready.js';
import type { Credential } from '../auth/credential.js';
import { credentialsForSession } from '../auth/session-credentials.js';
import { agentCommand } from '../session/agent-command.js';
import { containerClone } from '../session/container-clone.js';
import { syncMcpSettings } from '../session/mcp-settings.js';
import { nextSessionName, validateSessionName } from '../session/session-names.js';
import { gitSessionNames, gitTarget } from '../session/session-target.js';
import { listSessions, startSession } from '../session/sessions.js';
import { assertSessionCanStart, ensureNotifier } from '../session/start-agent-session.js';
import { loadPlan, placementOf } from './load-plan.js';
import { placeEngineFiles, publishEngineFiles } from '../project/engine-files.js';
import { placeOnEngine } from '../project/remote-project.js';

export interface GitStartRequest {
  name?: string;
  /** The branch, tag or commit to start from (default: what is checked out). */
  from?: string;
  /** Carry the host's uncommitted changes over as the session's first commit. */
  includeChanges: boolean;
  agentArgs: readonly string[];
  size: { cols: number; rows: number };
  cliPath: string;
  /** Claude's credential for this session only (`run --token-stdin`), instead of the stored one. */
  credential?: Credential;
}

export interface GitStartResult {
  name: string;
  command: string[];
  /** False when the session's clone was there already (a session started again): it goes on. */
  cloned: boolean;
  base: string;
  branch: string | null;
  /** Files changed on the host and not committed, and whether they came along. */
  uncommitted: string[];
  changesIncluded: boolean;
}

/**
 * Starts an agent on a clone of the project's repository in a volume of its own, in a container of
 * its own joined to the project's gateway, with no bind mount of the project's folder. Started again
 * with the name of a session whose clone is kept, it goes on in that clone. A start that fails takes
 * back what it made.
 */
export async function startGitSession(
  services: HostServices,
  project: ProjectIdentity,
  request: GitStartRequest,
): Promise<GitStartResult> {
  const { engine } = services;
  await assertSessionCanStart(services, project);
  const sessions = await listSessions(engine, project);
  const name = request.name
    ? validateSessionName(request.name)
    : nextSessionName(sessions.map((s) => s.name));
  const existing = sessions.find((s) => s.name === name);
  if (existing?.running) {
    throw new UserError(
      `A session named ${name} is already running.`,
      'Pick another name with --name, or attach to it.',
    );
  }
  if (existing && existing.kind !== 'git') {
    throw new UserError(
      `A session named ${name} ran in the project's folder.`,
      'Pick another name with --name.',
    );
  }
  const names = gitSessionNames(project, name);
  const target = gitTarget(project, name);
  const [{ review, plan }, agent, volume] = await Promise.all([
    loadPlan(services, project, 'view', placementOf(engine)),
    engine.inspectContainer(project.names.agent),
    engine.inspectVolume(names.volume),
  ]);
  if (volume && volume.Labels?.[LABEL.projectId] !== project.id) {
    throw new UserError(
      `A volume named ${names.volume} exists and is not this project's session.`,
      'Pick another name.',
    );
  }
  const command = agentCommand(review.approved.config, request.agentArgs, services.env);
  // The home volume is shared: written through the project's agent, before anything is made.
  const stateDir = projectStateDir(project, services.env);
  await syncMcpSettings(engine, project, review.approved.config, stateDir, 'session-start');
  const { notes: _told, ...lent } = await lendHost(
    services,
    project,
    plan.runtime.hostUser,
    review.approved.config,
  );
  // A remote project's files (its new git identity among them) are sent to its Engine.
  const runtime = engine.remote
    ? placeOnEngine({ ...plan.runtime, ...lent }, await placeEngineFiles(engine, project))
    : { ...plan.runtime, ...lent };
  if (engine.remote)
    await publishEngineFiles(engine, project, stateDir, agent?.Config.Image ?? runtime.image);
  const git = createGitRunner(services.processes);
  const undo = new UndoStack();
  let seed: SeedPlan | undefined;
  try {
    if (!volume) {
      seed = await planSeed(git, project.dir, {
        session: name,
        ...(request.from ? { from: request.from } : {}),
        includeChanges: request.includeChanges,
      });
      await engine.createVolume(names.volume, {
        ...managedLabels('git-session', project),
        [LABEL.session]: name,
        [LABEL.baseCommit]: seed.base,
      });
      undo.push(`volume ${names.volume}`, () => engine.removeVolume(names.volume));
    } else if (request.from || request.includeChanges) {
      throw new UserError(
        `The git session ${name} has its clone already; --from and --include-changes only apply to a new one.`,
        `Start it again without them, or pick another name.`,
      );
    }
    await ensureGitContainer(
      services,
      project,
      { name, ...names },
      {
        image: agent?.Config.Image ?? plan.runtime.image,
        runtime,
        undo,
      },
    );
    if (!seed) await assertCloneFinished(engine, target, names.volume);
    if (seed) {
      await seedClone(git, project.dir, containerClone(engine, target), seed);
      await setHostBase(git, project.dir, name, seed.base);
      undo.push('the host ref of the base', () => setHostBase(git, project.dir, name, null));
    }
    const credentials = await credentialsForSession(services, project.dir, request.credential);
    await startSession(engine, target, name, command, request.size, credentials);
  } catch (error) {
    await undo.rollBack();
    throw error;
  }
  await ensureNotifier(services, project, request.cliPath);
  return {
    name,
    command,
    cloned: Boolean(seed),
    base: seed?.base ?? volume?.Labels?.[LABEL.baseCommit] ?? '',
    branch: seed?.branch ?? null,
    uncommitted: seed?.uncommitted ?? [],
    changesIncluded: seed?.changesIncluded ?? false,
  };
}

/** The session's container, made or started when it is not running. */
async function ensureGitContainer(
  services: HostServices,
  project: ProjectIdentity,
  session: { name: string; container: string; volume: string; workdir: string },
  context: { image: string; runtime: Parameters<typeof gitAgentSpec>[1]; undo: UndoStack },
): Promise<void> {
  const { engine } = services;
  const current = await engine.inspectContainer(session.container);
  if (current && current.Config.Labels?.[LABEL.projectId] !== project.id) {
    throw new UserError(
      `A container named ${session.container} exists and is not this project's.`,
      'Pick another name.',
    );
  }
  // One left in a gateway that was made again since (or stopped) is made again: it holds nothing.
  const gateway = await engine.inspectContainer(project.names.gateway);
  const joined = current?.HostConfig.NetworkMode === `container:${gateway?.Id}`;
  if (current?.State.Running && joined) return;
  if (current) await engine.removeContainer(session.container);
  const spec = gitAgentSpec(project, { ...context.runtime, image: context.image }, session);
  await engine.createContainer(session.container, spec);
  context.undo.push(`container ${session.container}`, () => engine.removeContainer(session.container));
  await engine.startContainer(session.container);
  await waitUntilReady(engine, session.container);
}

/** A kept clone is one whose making finished: a start cut short leaves a volume without its base. */
async function assertCloneFinished(
  engine: HostServices['engine'],
  target: ReturnType<typeof gitTarget>,
  volume: string,
): Promise<void> {
  const base = await containerClone(engine, target).git(['rev-parse', '--quiet', '--verify', CLONE_BASE]);
  if (base.exitCode !== 0) {
    throw new UserError(
      `The clone in ${volume} was never finished (a start was cut short), so it holds no work.`,
      `Delete it with \`claude-tui rm-volume ${volume}\` and start again.`,
    );
  }
}

/** The host keeps the session's base commit referenced, so that no gc takes it away. */
async function setHostBase(git: GitRunner, repoDir: string, session: string, base: string | null) {
  const ref = sessionRefs(session).base;
  await git(repoDir, ['update-ref', ...(base ? [ref, base] : ['-d', ref])]);
}
