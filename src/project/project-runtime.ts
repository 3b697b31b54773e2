import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppSettings } from '../config/app-settings.js';
import type { ProjectConfig } from '../config/project-config-schema.js';
import { UserError } from '../errors.js';
import { caSources, readCaCertificates } from '../image/ca-certificates.js';
import { collectImageInputs, type ImageInputs } from '../image/image-inputs.js';
import { PROTECTED_PATHS, type ProjectRuntime } from './container-specs.js';
import { hostUserFor } from './host-user.js';
import type { ProjectIdentity } from './identity.js';

/** Everything `up` needs to know about a project before touching Docker. */
export interface ProjectPlan {
  inputs: ImageInputs;
  runtime: ProjectRuntime;
}

export async function planProject(
  project: ProjectIdentity,
  config: ProjectConfig,
  app: Pick<AppSettings, 'caCertificates'>,
  env: NodeJS.ProcessEnv,
  imagesDir?: string,
): Promise<ProjectPlan> {
  const certificates = await readCaCertificates(
    caSources(project.dir, config.image?.caCertificates ?? [], app.caCertificates, env),
  );
  const inputs = await collectImageInputs({
    imagesDir,
    baseImage: config.image?.base,
    agentVersion: config.image?.agentVersion,
    caCertificates: certificates,
  });
  const mounts = (config.mounts ?? []).map((m) => {
    const source = resolve(project.dir, m.source);
    if (!existsSync(source)) {
      throw new UserError(
        `The mount source ${source} (from .claude/claude-tui.yaml mounts) does not exist.`,
        'Create it or remove the mount.',
      );
    }
    return { source, target: m.target, readOnly: m.readOnly };
  });
  return {
    inputs,
    runtime: {
      image: inputs.tag,
      imageHash: inputs.hash,
      hostUser: hostUserFor(project.dir),
      env: config.env ?? {},
      mounts,
      protectedPaths: PROTECTED_PATHS.filter((p) => existsSync(`${project.dir}/${p}`)),
    },
  };
}
