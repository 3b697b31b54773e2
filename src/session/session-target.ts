import type { DockerEngine } from '../docker/engine.js';
import { LABEL } from '../docker/labels.js';
import { WORKSPACE } from '../project/container-specs.js';
import type { ProjectIdentity } from '../project/identity.js';

/**
 * Where a session runs: the project's agent container on the bind-mounted project (`workspace`),
 * or a git session's own container on its clone (`git`). Every session operation takes one, so
 * both kinds share one code path.
 */
export interface SessionTarget {
  kind: 'workspace' | 'git';
  container: string;
  /** The session's working directory: the project, or the clone. */
  workdir: string;
}

/** A git session's Docker names and its clone's place inside its container. */
export function gitSessionNames(project: ProjectIdentity, session: string) {
  const base = project.names.agent.replace(/-agent$/, '');
  return {
    container: `${base}-git-${session}`,
    volume: `${base}-git-${session}`,
    // Its own path per session: the agent keys its conversations by folder, so one git session's
    // `--continue` never resumes another's.
    workdir: `${WORKSPACE}/${session}`,
  };
}

export function workspaceTarget(project: ProjectIdentity): SessionTarget {
  return { kind: 'workspace', container: project.names.agent, workdir: WORKSPACE };
}

export function gitTarget(project: ProjectIdentity, session: string): SessionTarget {
  const names = gitSessionNames(project, session);
  return { kind: 'git', container: names.container, workdir: names.workdir };
}

/** The session's target: its own container when it is a git session of this project. */
export async function sessionTarget(
  engine: DockerEngine,
  project: ProjectIdentity,
  session: string,
): Promise<SessionTarget> {
  const git = gitTarget(project, session);
  const container = await engine.inspectContainer(git.container);
  const labels = container?.Config.Labels;
  const ours = labels?.[LABEL.projectId] === project.id && labels[LABEL.session] === session;
  return ours ? git : workspaceTarget(project);
}
