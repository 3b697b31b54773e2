import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { LABEL, managedLabels } from '../../src/docker/labels.js';
import type { ProjectIdentity } from '../../src/project/identity.js';
import { docker, dockerAvailable, makeProject, runCli } from '../support/cli.js';

const engine = createDockerEngine();

interface VolumeRow {
  name: string;
  role: string;
  projectDir: string | null;
  inUse: boolean;
  usedBy: string[];
  unmergedCommits: number | null;
}

describe.skipIf(!dockerAvailable())('volumes, rm-volume and cleanup (real Docker Engine)', () => {
  let project: ProjectIdentity;
  const tag = `ctui-clean-${process.pid}`;
  const names = {
    free: `${tag}-free`,
    busy: `${tag}-busy`,
    foreign: `${tag}-foreign`,
    git: `${tag}-git`,
    source: `${tag}-gitsrc`,
    user: `${tag}-user`,
  };
  const labels = (role: string) => ({
    ...managedLabels('home', { dir: project.dir, id: project.id }),
    [LABEL.role]: role,
  });
  const volumes = async () =>
    (JSON.parse((await runCli(['volumes', '--json'])).stdout) as VolumeRow[]).filter(
      (v) => v.projectDir === project.dir,
    );

  beforeAll(async () => {
    project = makeProject('cleanup');
    await engine.createVolume(names.free, labels('session'));
    await engine.createVolume(names.busy, labels('session'));
    await docker(['volume', 'create', names.foreign]);
    await docker([
      'run',
      '-d',
      '--name',
      names.user,
      '-v',
      `${names.busy}:/data`,
      'debian:bookworm-slim',
      'sleep',
      '600',
    ]);
    // A git-session volume: a repository with a base commit and two commits of the session's own.
    const image = inject('agentImage');
    const git = 'git -c user.name=t -c user.email=t@t';
    await docker(['volume', 'create', names.source]);
    const base = await docker([
      'run',
      '--rm',
      '--network',
      'none',
      '-u',
      'root',
      '--entrypoint',
      'sh',
      '-v',
      `${names.source}:/repo`,
      image,
      '-c',
      `cd /repo && git init -q && ${git} commit -q --allow-empty -m base && git rev-parse HEAD && ` +
        `${git} commit -q --allow-empty -m one && ${git} commit -q --allow-empty -m two >/dev/null`,
    ]);
    await engine.createVolume(names.git, {
      ...labels('git-session'),
      [LABEL.baseCommit]: base.stdout.trim(),
    });
    await docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'sh',
      '-v',
      `${names.source}:/from`,
      '-v',
      `${names.git}:/to`,
      image,
      '-c',
      'cp -a /from/. /to/',
    ]);
  });

  afterAll(async () => {
    await docker(['rm', '-f', names.user], { reject: false });
    for (const name of Object.values(names)) await docker(['volume', 'rm', name], { reject: false });
  });

  it('lists the volumes it made with role, project, use and unmerged commits', async () => {
    const rows = await volumes();
    expect(rows.map((v) => v.name).sort()).toEqual([names.busy, names.free, names.git].sort());
    expect(rows.find((v) => v.name === names.busy)).toMatchObject({ inUse: true, usedBy: [names.user] });
    expect(rows.find((v) => v.name === names.free)).toMatchObject({ role: 'session', inUse: false });
    expect(rows.find((v) => v.name === names.git)).toMatchObject({ role: 'git-session', unmergedCommits: 2 });
  });

  it('rm-volume leaves alone what it did not make, what is in use, and asks where it cannot', async () => {
    const foreign = await runCli(['rm-volume', names.foreign, '--yes']);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toContain(`The volume ${names.foreign} was not made by claude-tui`);
    const busy = await runCli(['rm-volume', names.busy, '--yes']);
    expect(busy.exitCode).toBe(1);
    expect(busy.stderr).toContain(`is in use by ${names.user}`);
    const unasked = await runCli(['rm-volume', names.free]);
    expect(unasked.exitCode).toBe(1);
    expect(unasked.stderr).toContain('Pass --yes');
    expect(await engine.inspectVolume(names.free)).toBeDefined();
    expect(await engine.inspectVolume(names.foreign)).toBeDefined();
  });

  it('rm-volume keeps a volume with unmerged commits unless told to discard them', async () => {
    const refused = await runCli(['rm-volume', names.git, '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('holds 2 commits never merged back');
    expect(await engine.inspectVolume(names.git)).toBeDefined();
    const discarded = await runCli(['rm-volume', names.git, '--yes', '--discard-unmerged']);
    expect(discarded.exitCode, discarded.stderr).toBe(0);
    expect(await engine.inspectVolume(names.git)).toBeUndefined();
  });

  it('cleanup --dry-run shows the plan and deletes nothing; cleanup --yes deletes what nothing uses', async () => {
    const dry = await runCli(['cleanup', '--dry-run', '--json', '--project', project.dir]);
    expect(dry.exitCode).toBe(0);
    const plan = JSON.parse(dry.stdout) as {
      wouldRemove: { name: string }[];
      kept: { name: string; reason: string }[];
    };
    expect(plan.wouldRemove.map((r) => r.name)).toContain(names.free);
    expect(plan.kept.find((k) => k.name === names.busy)?.reason).toBe(`in use by ${names.user}`);
    expect(await engine.inspectVolume(names.free)).toBeDefined();

    // Scoped to this test's project: other runs on this Engine keep what they made.
    const done = await runCli(['cleanup', '--yes', '--project', project.dir]);
    expect(done.stdout).toMatch(/Deleted \d+/);
    expect(await engine.inspectVolume(names.free)).toBeUndefined();
    expect(await engine.inspectVolume(names.busy)).toBeDefined();
    expect(await engine.inspectVolume(names.foreign)).toBeDefined();
    expect(await engine.inspectImage(inject('agentImage'))).toBeDefined();
  });
});
