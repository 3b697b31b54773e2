import type { DockerEngine } from '../docker/engine.js';
import { LABEL, everythingManaged, managedLabels } from '../docker/labels.js';
import { UserError } from '../errors.js';
import { bringOver } from '../git/bring-over.js';
import { LANDED_SET_SCRIPT } from '../git/landed-marks.js';
import { CLONE_BASE } from '../git/seed-clone.js';
import { createGitRunner, type GitRunner } from '../git/git-runner.js';
import type { SessionClone } from '../git/types.js';
import type { HostServices } from '../project/host-services.js';
import { hostUserFor } from '../project/host-user.js';
import type { ProjectIdentity } from '../project/identity.js';
import { AGENT_USER } from '../project/container-specs.js';
import { execText } from '../docker/exec.js';
import { containerClone } from '../session/container-clone.js';
import { gitSessionNames, gitTarget } from '../session/session-target.js';

/** A git session's clone, opened for the host's git to work with, and how to let it go. */
export interface OpenedClone {
  clone: SessionClone;
  /** The commit the session started from. */
  base: string;
  close(): Promise<void>;
}

/**
 * Reaches the session's clone: through its own container while that runs, else through a
 * short-lived container with no network that mounts the volume (the project may be down).
 */
export async function openSessionClone(
  services: Pick<HostServices, 'engine' | 'env'>,
  project: ProjectIdentity,
  session: string,
): Promise<OpenedClone> {
  const { engine } = services;
  const names = gitSessionNames(project, session);
  const volume = await engine.inspectVolume(names.volume);
  const labels = volume?.Labels;
  const base = labels?.[LABEL.baseCommit];
  if (!volume || labels?.[LABEL.projectId] !== project.id || labels[LABEL.role] !== 'git-session' || !base) {
    throw new UserError(
      `There is no git session named ${session} in ${project.dir}.`,
      'See `claude-tui sessions` (git sessions are started with `claude-tui start --git`).',
    );
  }
  const own = await engine.inspectContainer(names.container);
  if (own?.State.Running && own.Config.Labels?.[LABEL.session] === session) {
    return {
      clone: containerClone(engine, gitTarget(project, session)),
      base,
      close: () => Promise.resolve(),
    };
  }
  return lookIntoVolume(engine, project, session, base);
}

async function lookIntoVolume(
  engine: DockerEngine,
  project: ProjectIdentity,
  session: string,
  base: string,
): Promise<OpenedClone> {
  const names = gitSessionNames(project, session);
  const images = (await engine.listImages(everythingManaged)).sort((a, b) => b.Created - a.Created);
  const image = images.find((i) => i.Labels?.[LABEL.role] === 'image') ?? images[0];
  if (!image) {
    throw new UserError(
      `The session ${session}'s clone is kept, but there is no claude-tui image to open it with.`,
      `Run \`claude-tui up ${project.dir}\` first.`,
    );
  }
  // The agent's files are the host user's (the agent runs mapped to that UID).
  const { uid, gid } = hostUserFor(project.dir);
  const user = `${uid}:${gid}`;
  const name = `${names.container}-look-${process.pid}`;
  await engine.createContainer(name, {
    Image: image.Id,
    User: user,
    Entrypoint: ['sleep', '3600'],
    Cmd: [],
    WorkingDir: names.workdir,
    // Found by label like all we make, should this process die before removing it.
    Labels: { ...managedLabels('git-look', project), [LABEL.session]: session },
    HostConfig: {
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      // It runs git on what the agent wrote: few processes, bounded memory, nothing else writable.
      PidsLimit: 64,
      Memory: 1024 * 1024 * 1024,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'mode=1777' },
      Mounts: [{ Type: 'volume', Source: names.volume, Target: names.workdir }],
    },
  });
  const close = () => engine.removeContainer(name).catch(() => undefined);
  try {
    await engine.startContainer(name);
  } catch (error) {
    await close();
    throw error;
  }
  // No HOME of its own for that UID: git reads no global config there.
  return { clone: containerClone(engine, { container: name, workdir: names.workdir }, user), base, close };
}

/** Opens the clone, brings its commits to the host repository, and hands both on to `work`. */
export async function withSessionCommits<T>(
  services: Pick<HostServices, 'engine' | 'env' | 'processes'>,
  project: ProjectIdentity,
  session: string,
  work: (context: { run: GitRunner; clone: SessionClone; base: string }) => Promise<T>,
): Promise<T> {
  const opened = await openSessionClone(services, project, session);
  try {
    const run = createGitRunner(services.processes);
    await bringOver(run, project.dir, session, opened.clone, opened.base);
    return await work({ run, clone: opened.clone, base: opened.base });
  } finally {
    await opened.close();
  }
}

/**
 * How far a running git session is: its commits since the base (merges aside) and how many of
 * them landed, read in its clone with one exec. Null when its container does not run.
 */
export async function gitSessionCounts(
  engine: DockerEngine,
  project: ProjectIdentity,
  session: string,
): Promise<{ ahead: number; landed: number } | null> {
  const target = gitTarget(project, session);
  const script = [
    `base=$(git rev-parse -q --verify ${CLONE_BASE}) || exit 3`,
    LANDED_SET_SCRIPT,
    'ahead=0 done=0',
    'for commit in $(git rev-list --no-merges "$base"..HEAD); do',
    '  ahead=$((ahead + 1))',
    '  case "$landed" in *" $commit "*) done=$((done + 1)) ;; esac',
    'done',
    'echo "$ahead $done"',
  ].join('\n');
  const result = await execText(engine, target.container, ['sh', '-c', script], {
    user: AGENT_USER,
    workingDir: target.workdir,
  }).catch(() => undefined);
  const [ahead, landed] = (result?.exitCode === 0 ? result.stdout.trim().split(' ') : []).map(Number);
  return Number.isInteger(ahead) && Number.isInteger(landed) ? { ahead: ahead!, landed: landed! } : null;
}
