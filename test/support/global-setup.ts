import type { TestProject } from 'vitest/node';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { DockerUnavailableError } from '../../src/errors.js';
import { ensureImage } from '../../src/image/ensure-image.js';
import { collectImageInputs } from '../../src/image/image-inputs.js';
import { resolveNpmRegistry } from '../../src/image/npm-registry.js';
import { readCaCertificates, caSources } from '../../src/image/ca-certificates.js';
import { systemProcessRunner } from '../../src/system/process.js';
import { removeTestResources, TEST_ROOT } from './docker-resources.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerAvailable: boolean;
    agentImage: string;
  }
}

/**
 * Once per run: is there a Docker Engine (under CI=true there must be), and build the agent image
 * through the product's own code so that each test starts from a cached image.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const engine = createDockerEngine();
  try {
    await engine.ping();
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
    if (process.env.CI === 'true') {
      throw new Error(`CI=true and the Docker Engine is not available: ${error.message}`, { cause: error });
    }
    console.warn(
      `\n!!! SKIPPING every Docker test: ${error.message} (set up Docker, or run under CI=true to fail)\n`,
    );
    project.provide('dockerAvailable', false);
    project.provide('agentImage', '');
    return async () => {};
  }
  await removeTestResources(engine);
  const certificates = await readCaCertificates(caSources(TEST_ROOT, [], [], process.env));
  const inputs = await collectImageInputs({ caCertificates: certificates });
  const started = Date.now();
  const image = await ensureImage(
    {
      engine,
      npmRegistry: () => resolveNpmRegistry(undefined, process.env, systemProcessRunner),
      progress: { step: (line) => console.log(`[image] ${line}`), output: () => undefined },
    },
    inputs,
  );
  if (image.built)
    console.log(`[image] built ${image.tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('dockerAvailable', true);
  project.provide('agentImage', image.tag);
  return () => removeTestResources(engine);
}
