import { describeKind, describeScope, maskCredential, type Credential } from '../auth/credential.js';
import type { DockerEngine } from '../docker/engine.js';
import { DockerUnavailableError, UserError } from '../errors.js';
import { findImage } from '../image/ensure-image.js';
import { detectPlatform, type PlatformInputs } from './platform.js';
import type { ProjectPlan } from './project-runtime.js';

export type CheckOutcome = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  outcome: CheckOutcome;
  detail: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
  /** What else to know (the platform's differences). */
  notes?: string[];
}

export const MIN_API_VERSION = '1.41';
/** The oldest Node claude-tui runs on: 22.12 loads an ES module with require() (src/ui/text-width.ts). */
export const MIN_NODE = '22.12';

/** Orders two versions by their major and minor numbers (an Engine API's, Node's). */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export interface DoctorDeps {
  engine: DockerEngine;
  nodeVersion: string;
  /** The machine as the platform check sees it; the Engine's part is asked here. */
  host: Omit<PlatformInputs, 'engine'>;
  /** The project's plan, or the reason it could not be made (a config error, say). */
  plan: () => Promise<ProjectPlan>;
  /** Claude's credential new sessions of the project get, if one is stored. */
  credential: () => Promise<Credential | undefined>;
}

/** Checks in order; a check that cannot run because an earlier one failed is not run. */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  results.push(
    compareVersions(deps.nodeVersion.replace(/^v/, ''), MIN_NODE) >= 0
      ? { name: 'node', outcome: 'ok', detail: deps.nodeVersion }
      : {
          name: 'node',
          outcome: 'fail',
          detail: `${deps.nodeVersion} is older than ${MIN_NODE}`,
          fix: `Install Node ${MIN_NODE} or newer.`,
        },
  );

  results.push(await credentialCheck(deps));

  // The endpoint and the Docker context that chose it, so a remote Engine is never a surprise.
  const context = deps.engine.context;
  try {
    await deps.engine.ping();
    const detail = `answers at ${deps.engine.endpoint}${context ? `; Docker context: ${context}` : ''}`;
    results.push({ name: 'docker socket', outcome: 'ok', detail });
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
    const detail = `${error.message}${context ? ` Docker context: ${context}.` : ''}`;
    results.push({ name: 'docker socket', outcome: 'fail', detail, fix: error.hint });
    return results;
  }

  const version = await deps.engine.version();
  const apiOk = compareVersions(version.ApiVersion, MIN_API_VERSION) >= 0;
  results.push({
    name: 'docker engine',
    outcome: apiOk ? 'ok' : 'fail',
    detail: `Engine ${version.Version}, API ${version.ApiVersion} (${version.Os}/${version.Arch})`,
    ...(apiOk
      ? {}
      : { fix: `Upgrade the Docker Engine to one with API ${MIN_API_VERSION} or newer (20.10+).` }),
  });

  const platform = detectPlatform({ ...deps.host, engine: await deps.engine.info() });
  results.push({
    name: 'platform',
    outcome: platform.caution ? 'warn' : 'ok',
    detail: platform.name,
    notes: [platform.notes.sshAgent, platform.notes.hostDockerInternal, platform.notes.files],
  });

  try {
    const plan = await deps.plan();
    const present = await findImage(deps.engine, plan.inputs);
    results.push(
      present
        ? { name: 'agent image', outcome: 'ok', detail: `${plan.inputs.tag} is built` }
        : {
            name: 'agent image',
            outcome: 'warn',
            detail: `${plan.inputs.tag} is not built yet`,
            fix: '`claude-tui up` builds it (a few minutes the first time), or run `claude-tui build` now.',
          },
    );
    const base = plan.inputs.buildArgs.BASE_IMAGE!;
    const baseImage = await deps.engine.inspectImage(base);
    results.push(
      baseImage || present
        ? {
            name: 'base image',
            outcome: 'ok',
            detail: `${base}${baseImage ? ' is present' : ' (not needed: image built)'}`,
          }
        : {
            name: 'base image',
            outcome: 'warn',
            detail: `${base} is not present locally`,
            fix: 'The first build pulls it; that needs a registry.',
          },
    );
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    results.push({ name: 'project', outcome: 'fail', detail: error.message, fix: error.hint });
  }
  return results;
}

async function credentialCheck(deps: DoctorDeps): Promise<CheckResult> {
  let credential: Credential | undefined;
  try {
    credential = await deps.credential();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return {
      name: 'credential',
      outcome: 'fail',
      detail: error.message,
      ...(error.hint ? { fix: error.hint } : {}),
    };
  }
  if (!credential) {
    return {
      name: 'credential',
      outcome: 'warn',
      detail: 'none stored: sessions ask the agent to log in itself (/login), in each project',
      fix: 'Run `claude-tui login` once for all projects.',
    };
  }
  return {
    name: 'credential',
    outcome: 'ok',
    detail: `${describeKind(credential.kind)} ${maskCredential(credential.value)}, ${describeScope(credential.scope)}`,
  };
}
