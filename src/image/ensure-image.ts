import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildStepError, UserError } from '../errors.js';
import type { DockerEngine } from '../docker/engine.js';
import { LABEL, managedLabels } from '../docker/labels.js';
import { log } from '../log.js';
import type { ImageInputs } from './image-inputs.js';

export interface BuildProgress {
  /** A new build step ("Step 3/21 : RUN ..."). */
  step(text: string): void;
  /** Any other line of build output. */
  output(text: string): void;
}

export interface EnsureImageDeps {
  engine: DockerEngine;
  progress: BuildProgress;
  npmRegistry: () => Promise<string>;
}

const logTailLines = 20;

/** Finds the image built from these exact inputs, or builds it. */
export async function ensureImage(
  deps: EnsureImageDeps,
  inputs: ImageInputs,
  options: { rebuild?: boolean } = {},
): Promise<{ tag: string; built: boolean }> {
  if (!options.rebuild && (await findImage(deps.engine, inputs))) return { tag: inputs.tag, built: false };
  await buildImage(deps, inputs);
  return { tag: inputs.tag, built: true };
}

export async function findImage(engine: DockerEngine, inputs: ImageInputs): Promise<boolean> {
  const existing = await engine.listImages({ [LABEL.imageInputs]: inputs.hash });
  const image = existing[0];
  if (!image) return false;
  if (!image.RepoTags?.includes(inputs.tag)) {
    const [repo, tag] = inputs.tag.split(':') as [string, string];
    await engine.tagImage(image.Id, repo, tag);
  }
  return true;
}

async function buildImage(deps: EnsureImageDeps, inputs: ImageInputs): Promise<void> {
  const contextDir = await mkdtemp(join(tmpdir(), 'claude-tui-build-'));
  const tail: string[] = [];
  let currentStep = '';
  try {
    for (const [name, content] of inputs.files) {
      const path = join(contextDir, name);
      await mkdir(dirname(path), { recursive: true });
      // Scripts keep their exec bit: shell scripts by name, others (the bridge's perl client) by `#!`.
      const script = name.endsWith('.sh') || content.subarray(0, 2).toString() === '#!';
      await writeFile(path, content, { mode: script ? 0o755 : 0o644 });
    }
    const buildArgs = { ...inputs.buildArgs, NPM_REGISTRY: await deps.npmRegistry() };
    log.info('building image', { tag: inputs.tag, hash: inputs.hash });
    await deps.engine.buildImage({
      contextDir,
      tag: inputs.tag,
      buildArgs,
      labels: { ...managedLabels('image'), [LABEL.imageInputs]: inputs.hash },
      onOutput: (line) => {
        log.debug('build', { line });
        if (/^Step \d+\/\d+ :/.test(line)) {
          currentStep = line;
          tail.length = 0;
          deps.progress.step(line);
          return;
        }
        // The classic builder's own bookkeeping says nothing about why a step failed.
        if (line.trim() && !/^\s*(---> |Removing intermediate container )/.test(line)) {
          tail.push(line);
          if (tail.length > logTailLines) tail.shift();
        }
        deps.progress.output(line);
      },
    });
  } catch (error) {
    if (!(error instanceof BuildStepError)) throw error;
    const where = currentStep ? ` at ${currentStep.replace(/\s+/g, ' ').slice(0, 160)}` : '';
    throw new UserError(
      `The image build failed${where}:\n${indent(tail.length ? tail : [error.message])}`,
      'Fix the failing step (see the log above) and run the command again; nothing was changed.',
    );
  } finally {
    await rm(contextDir, { recursive: true, force: true });
  }
}

function indent(lines: string[]): string {
  return lines.map((l) => `    ${l}`).join('\n');
}
