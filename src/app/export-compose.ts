import { lstatSync, realpathSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { managedLabels } from '../docker/labels.js';
import { UserError } from '../errors.js';
import { writePolicy } from '../firewall/policy-store.js';
import { ensureImage, type BuildProgress } from '../image/ensure-image.js';
import type { PolicyReview } from '../policy/review-policy.js';
import { composeFileFor, renderComposeFile } from '../project/compose-file.js';
import {
  gitIdentityFile,
  readHostGitIdentity,
  renderIdentity,
  writeIdentityFile,
} from '../project/git-identity.js';
import type { HostServices } from '../project/host-services.js';
import type { ProjectIdentity } from '../project/identity.js';
import { assertOwned } from '../project/ownership.js';
import { projectStateDir } from '../project/project-state-dir.js';
import { assertNetworksExist, prepareShadowFiles, projectContainers, searchCutShort } from '../project/up.js';
import { writeFileAtomically } from '../system/write-file-atomically.js';
import { VERSION } from '../version.js';
import { loadPlan, npmRegistryFor } from './load-plan.js';

export interface ComposeExport {
  /** The compose file, as text. */
  text: string;
  review: PolicyReview;
  /** Where the export keeps its policy folder and the other host files its containers mount. */
  stateDir: string;
  imageBuilt: boolean;
  /** What the person should hear: what the export leaves out, what it made. */
  notes: string[];
}

/**
 * The export's own host files, apart from `up`'s: the exported gateway reads its policy here, so
 * writing it never changes what the project's running gateway would read on its next restart.
 */
export function composeStateDir(project: ProjectIdentity, env: NodeJS.ProcessEnv): string {
  return join(projectStateDir(project, env), 'compose');
}

/**
 * `claude-tui compose`: the project's gateway and agent, exactly as `up` would make them from the
 * approved policy (a change waiting for approval is left out), as a compose file. Makes what the
 * file needs and compose does not: the image, the home volume, and the host files it mounts.
 * With `output`, the file is written there, never where the agent can write (see checkOutputPath).
 */
export async function exportCompose(
  services: HostServices,
  project: ProjectIdentity,
  progress: BuildProgress & { note(message: string): void },
  options: { output?: string; cwd: string },
): Promise<ComposeExport> {
  const { engine } = services;
  const stateDir = composeStateDir(project, services.env);
  const { review, plan } = await loadPlan(services, project, 'view', { stateDir });
  const agentWritable = [project.dir, ...plan.runtime.mounts.filter((m) => !m.readOnly).map((m) => m.source)];
  const output = options.output && checkOutputPath(resolve(options.cwd, options.output), agentWritable);
  if (plan.runtime.secretShadows && plan.secrets.truncated) throw searchCutShort(plan);
  await assertNetworksExist(engine, plan.runtime.networks);
  const image = await ensureImage(
    { engine, progress, npmRegistry: npmRegistryFor(services, review.approved.config) },
    plan.inputs,
  );
  const notes = await ensureHomeVolume(services, project);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await prepareShadowFiles(plan);
  await writePolicy(stateDir, plan.firewall);
  const gitIdentity = gitIdentityFile(stateDir);
  await writeIdentityFile(
    gitIdentity,
    renderIdentity(await readHostGitIdentity(services.processes, project.dir)),
  );
  if (review.approved.config.ssh?.agent) {
    notes.push(
      'ssh.agent is on, but the export lends no SSH agent (its relay is a process of `claude-tui up`).',
    );
  }
  if (review.approved.bridge) {
    notes.push(
      'A command bridge is approved, but the export has none (its relay is a process of `claude-tui up`).',
    );
  }
  // No host status file: the one `up` mounts is read as the project's own gateway's. No bridge
  // folder: the relay that serves it belongs to the project `up` made.
  const runtime = { ...plan.runtime, firewallStatusFile: undefined, bridgeDir: undefined, gitIdentity };
  const containers = projectContainers(project, { ...plan, runtime });
  const file = composeFileFor({
    services: { gateway: containers.gateway, agent: containers.agent },
    ownNetwork: { name: project.names.network, key: 'claude-tui', labels: managedLabels('network', project) },
  });
  const text = renderComposeFile(file, header(project, stateDir));
  if (output) await writeFileAtomically(output, text, 0o644);
  return { text, review, stateDir, imageBuilt: image.built, notes };
}

function header(project: ProjectIdentity, stateDir: string): string[] {
  return [
    `The claude-tui project ${project.dir} (gateway and agent), written by claude-tui ${VERSION} compose`,
    'from its approved policy. Run: docker compose -f FILE -p NAME up -d',
    `The gateway applies the firewall policy in ${stateDir}/policy at each start (closed until then);`,
    'after approving a change, run claude-tui compose again and restart the gateway.',
    'Keep this file where the agent cannot write: it runs on the host with Docker rights.',
  ];
}

/** The home volume outlives containers and compose never makes or removes it: made as `up` makes it. */
async function ensureHomeVolume(services: HostServices, project: ProjectIdentity): Promise<string[]> {
  const name = project.names.homeVolume;
  const home = await services.engine.inspectVolume(name);
  if (home) {
    assertOwned(project, 'volume', name, 'home', home.Labels);
    return [];
  }
  await services.engine.createVolume(name, managedLabels('home', project));
  return [`created volume ${name} (the agent's home, shared with \`claude-tui up\`)`];
}

/**
 * A compose file runs on the host with Docker rights: one the agent could edit would let it widen
 * its own rights the next time it is run. So it is never written inside the workspace or another
 * folder the agent can write (links resolved), nor through a link.
 */
export function checkOutputPath(requested: string, agentWritable: readonly string[]): string {
  let folder: string;
  try {
    folder = realpathSync(dirname(requested));
  } catch {
    throw new UserError(`The folder of ${requested} does not exist.`, 'Create it, or name another file.');
  }
  const file = join(folder, basename(requested));
  if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new UserError(`${requested} is a symbolic link.`, 'Name the file itself, not a link to it.');
  }
  for (const root of agentWritable) {
    const real = realOrSame(root);
    if (file === real || file.startsWith(`${real}/`)) {
      throw new UserError(
        `${requested} is inside ${root}, which the agent can write: it could change the compose file, which runs on the host with Docker rights.`,
        'Write it outside the project (for example --output ~/compose/NAME.yaml), or leave --output out to print it.',
      );
    }
  }
  return file;
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
