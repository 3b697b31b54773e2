import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, dockerAvailable, makeProject, runCli } from '../support/cli.js';

const engine = createDockerEngine();

interface ListedProject {
  dir: string;
  name: string;
  slug: string;
  state: string;
  folderMissing: boolean;
}

describe.skipIf(!dockerAvailable())('a project whose folder was removed (real Docker Engine)', () => {
  let project: ProjectIdentity;

  beforeAll(async () => {
    project = makeProject('Removed');
    const up = await runCli(['up', project.dir]);
    expect(up.exitCode, up.stderr).toBe(0);
    // Its containers keep running; only the folder goes.
    rmSync(project.dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    const { names } = project;
    await docker(['rm', '-f', names.agent, names.gateway], { reject: false });
    await docker(['network', 'rm', names.network], { reject: false });
    await docker(['volume', 'rm', names.homeVolume], { reject: false });
  });

  it('is marked folder missing in ls, listed after the projects whose folder is there', async () => {
    const text = await runCli(['ls']);
    expect(text.exitCode).toBe(0);
    const row = text.stdout.split('\n').find((line) => line.includes(project.dir));
    expect(row).toMatch(new RegExp(`^${basename(project.dir)}\\s+folder missing\\s+running\\s+running`));
    expect(text.stderr).toContain('`claude-tui cleanup` offers them');

    const list = (
      JSON.parse((await runCli(['ls', '--json'])).stdout) as { engines: { projects: ListedProject[] }[] }
    ).engines[0]!.projects;
    const mine = list.findIndex((p) => p.dir === project.dir);
    expect(list[mine]).toMatchObject({
      name: basename(project.dir),
      slug: basename(project.dir).toLowerCase(),
      state: 'up',
      folderMissing: true,
    });
    expect(list.slice(mine).every((p) => p.folderMissing)).toBe(true);
  });

  it('has its volume offered by cleanup --dry-run, though its running agent still mounts it', async () => {
    const dry = await runCli(['cleanup', '--dry-run', '--json', '--project', project.dir]);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { wouldRemove: { name: string }[]; kept: { name: string }[] };
    const { names } = project;
    expect(plan.wouldRemove.map((r) => r.name).sort()).toEqual(
      [names.agent, names.gateway, names.network, names.homeVolume].sort(),
    );
    expect(plan.kept).toEqual([]);
    const text = await runCli(['cleanup', '--dry-run', '--project', project.dir]);
    expect(text.stdout).toMatch(new RegExp(`${names.homeVolume}.*its project's folder is gone`));
    expect(text.stdout).toContain('--dry-run deleted nothing');
    expect(await engine.inspectVolume(names.homeVolume)).toBeDefined();
    expect((await engine.inspectContainer(names.agent))?.State.Running).toBe(true);
  });

  it('deletes them on cleanup --yes, stopping its containers first', async () => {
    const done = await runCli(['cleanup', '--yes', '--project', project.dir]);
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stdout).toContain('Deleted 4');
    expect(await engine.inspectVolume(project.names.homeVolume)).toBeUndefined();
    expect(await engine.inspectContainer(project.names.agent)).toBeUndefined();
    const list = (
      JSON.parse((await runCli(['ls', '--json'])).stdout) as { engines: { projects: ListedProject[] }[] }
    ).engines[0]!.projects;
    // Still remembered in the settings, with nothing left in Docker.
    expect(list.find((p) => p.dir === project.dir)).toMatchObject({ state: 'down', folderMissing: true });
  });
});
