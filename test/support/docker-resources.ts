import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerEngine } from '../../src/docker/engine.js';
import { LABEL, everythingManaged } from '../../src/docker/labels.js';

/**
 * Every test project lives below this folder, so its Docker resources can be found by label. Runs
 * side by side (two worktrees on one Engine) each set their own, so neither removes the other's.
 */
export const TEST_ROOT = process.env.CLAUDE_TUI_TEST_ROOT ?? join(tmpdir(), 'claude-tui-tests');

const isTestProject = (labels: Record<string, string> | null | undefined) =>
  labels?.[LABEL.project]?.startsWith(TEST_ROOT + '/') ?? false;

/** Removes the containers, networks and volumes that tests made (never anything else). */
export async function removeTestResources(engine: DockerEngine): Promise<void> {
  for (const c of await engine.listContainers(everythingManaged)) {
    if (isTestProject(c.Labels)) await engine.removeContainer(c.Id);
  }
  for (const n of await engine.listNetworks(everythingManaged)) {
    if (isTestProject(n.Labels)) await engine.removeNetwork(n.Id);
  }
  for (const v of await engine.listVolumes(everythingManaged)) {
    if (isTestProject(v.Labels)) await engine.removeVolume(v.Name);
  }
}
