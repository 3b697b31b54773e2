import { VERSION } from '../version.js';
import type { LabelFilter, Labels } from './engine.js';

/**
 * Every container, network, volume and image claude-tui makes carries these labels, so it finds
 * what it owns by label and never by parsing names. Defined here once.
 */
export const LABEL = {
  managed: 'dev.claude-tui.managed',
  project: 'dev.claude-tui.project',
  projectId: 'dev.claude-tui.project-id',
  role: 'dev.claude-tui.role',
  version: 'dev.claude-tui.version',
  imageInputs: 'dev.claude-tui.image-inputs',
  /** A hash of the container's create body: a different one means the container is outdated. */
  spec: 'dev.claude-tui.spec',
  /** On a git-session volume: the commit the session started from (commits after it are its work). */
  baseCommit: 'dev.claude-tui.base-commit',
  /** On a git session's container and volume: the session's name. */
  session: 'dev.claude-tui.session',
} as const;

/**
 * The value of LABEL.managed on what `claude-tui compose` exports: compose, not claude-tui, makes
 * and removes those, so claude-tui's own lookups (all by `managed=true`) never take them for the
 * project's (`down` would remove them, `status` would read them). It must be set, not left out:
 * a container takes the image's labels, and the image is claude-tui's.
 */
export const MANAGED_BY_COMPOSE = 'compose';

export type ResourceRole =
  | 'gateway'
  | 'agent'
  | 'network'
  | 'home'
  | 'image'
  /** A git session's volume (its clone) and its own agent container. */
  | 'git-session'
  | 'git-agent'
  /** A short-lived container that opens a git session's clone while its own container is gone. */
  | 'git-look'
  /** A remote project's files from claude-tui (policy, resolv.conf, identity), and the container that fills it. */
  | 'engine-files';

export function managedLabels(role: ResourceRole, project?: { dir: string; id: string }): Labels {
  const labels: Labels = { [LABEL.managed]: 'true', [LABEL.role]: role, [LABEL.version]: VERSION };
  if (project) {
    labels[LABEL.project] = project.dir;
    labels[LABEL.projectId] = project.id;
  }
  return labels;
}

export function isManaged(labels: Labels | null | undefined): boolean {
  return labels?.[LABEL.managed] === 'true';
}

/** True when the labels say the resource belongs to this project in this role. */
export function belongsTo(labels: Labels | null | undefined, projectId: string, role: ResourceRole): boolean {
  return isManaged(labels) && labels?.[LABEL.projectId] === projectId && labels[LABEL.role] === role;
}

export function projectFilter(projectId: string): LabelFilter {
  return { [LABEL.managed]: 'true', [LABEL.projectId]: projectId };
}

export const everythingManaged: LabelFilter = { [LABEL.managed]: 'true' };

/**
 * The labels Docker Compose (v1 and v2) puts on what it runs: the project a container belongs to
 * and its service. Not ours: we read them to find a compose project's containers, never set them.
 */
export const COMPOSE_LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  /** Which of a scaled service's containers it is: 1, 2, ... */
  containerNumber: 'com.docker.compose.container-number',
} as const;

export function composeProjectFilter(composeProject: string): LabelFilter {
  return { [COMPOSE_LABEL.project]: composeProject };
}
