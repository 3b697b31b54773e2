import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { projectFilter } from '../../src/docker/labels.js';
import { docker, dockerAvailable, makeProject, runCli } from '../support/cli.js';

const engine = createDockerEngine();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('bad input is one clear message and a non-zero exit', () => {
  it('rejects a DIR that does not exist, or is a file', async () => {
    const missing = await runCli(['status', '/nonexistent/claude-tui-project']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/claude-tui-project does not exist');
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    const project = makeProject('file-arg');
    const file = join(project.dir, 'notes.txt');
    writeFileSync(file, 'x');
    const notDir = await runCli(['up', file]);
    expect(notDir.exitCode).toBe(1);
    expect(notDir.stderr).toContain('is not a directory');
  });

  it('says Docker is not running when its socket is absent', async () => {
    const result = await runCli(['up'], { env: { DOCKER_HOST: 'unix:///tmp/claude-tui-no-such.sock' } });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('Docker is not running');
    expect(result.stderr).toContain('Start the Docker Engine');
    const doctor = await runCli(['doctor'], { env: { DOCKER_HOST: 'unix:///tmp/claude-tui-no-such.sock' } });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/✗ docker socket\s+Docker is not running/);
  });

  it('rejects unknown commands and options with a usage error', async () => {
    const command = await runCli(['frobnicate']);
    expect(command.exitCode).toBe(2);
    expect(command.stderr).toContain('Unknown command "frobnicate"');
    const option = await runCli(['up', '--frob']);
    expect(option.exitCode).toBe(2);
    expect(option.stderr).toContain('Unknown option --frob');
  });

  it('names the file, line and key of a malformed project config', async () => {
    const project = makeProject('bad-config');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(project.dir, '.claude'));
    writeFileSync(
      join(project.dir, '.claude', 'claude-tui.yaml'),
      'image:\n  base: debian:bookworm-slim\n  agentVersoin: 1.0.0\n',
    );
    // Approving it (approve, or up --yes) is refused with the place and the reason; nothing is
    // approved, and no Docker call is made first.
    for (const args of [
      ['approve', project.dir, '--yes'],
      ['up', project.dir, '--yes'],
    ]) {
      const result = await runCli(args, { env: { DOCKER_HOST: 'unix:///tmp/claude-tui-no-such.sock' } });
      expect(result.exitCode, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(
        `${project.dir}/.claude/claude-tui.yaml:2:3: image: unknown key agentVersoin`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe.skipIf(!dockerAvailable())('failures against the real Docker Engine leave nothing half-done', () => {
  const projects: string[] = [];
  afterAll(async () => {
    for (const dir of projects) await runCli(['down', dir]);
  });

  it('says there is no permission on the Docker socket to a user outside the docker group', async () => {
    const { CLI, testEnv } = await import('../support/cli.js');
    const env = Object.entries({ ...testEnv(), HOME: '/tmp' }).map(([k, v]) => `${k}=${v}`);
    const result = await docker(
      [
        'run',
        '--rm',
        '--user',
        '4321:4321',
        '-v',
        '/var/run/docker.sock:/var/run/docker.sock',
        '-v',
        `${process.execPath}:/usr/local/bin/node:ro`,
        '-v',
        `${join(CLI, '..', '..')}:/app:ro`,
        ...env.flatMap((e) => ['-e', e]),
        'debian:bookworm-slim',
        'node',
        '/app/dist/cli.js',
        'status',
        '/tmp',
      ],
      { reject: false },
    );
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('No permission to use the Docker socket');
    expect(result.stderr).toContain('docker group');
  });

  it('reports a failing build step with the step and the tail of its log', async () => {
    const project = makeProject('failing-build');
    const result = await runCli(['build', project.dir], {
      env: { CLAUDE_TUI_IMAGES_DIR: fixture('failing-build') },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/The image build failed at Step 4\/\d+ : RUN echo the-step-output-marker/);
    expect(result.stderr).toContain('    the-step-output-marker');
    expect(result.stderr).not.toContain('earlier-step-2');
  });

  it('refuses to touch a container with its name that it did not create', async () => {
    const project = makeProject('clash');
    projects.push(project.dir);
    await docker(['create', '--name', project.names.gateway, 'debian:bookworm-slim', 'true']);
    try {
      const result = await runCli(['up', project.dir]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`A container named ${project.names.gateway} already exists`);
      expect(result.stderr).toContain('left it alone');
      const clash = await engine.inspectContainer(project.names.gateway);
      expect(clash?.State.Status).toBe('created');
      expect(await engine.inspectNetwork(project.names.network)).toBeUndefined();
      expect(await engine.inspectVolume(project.names.homeVolume)).toBeUndefined();
    } finally {
      await docker(['rm', '-f', project.names.gateway]);
    }
  });

  it('takes back everything a failed up created, and shows why it failed', async () => {
    const project = makeProject('agent-exits');
    projects.push(project.dir);
    const result = await runCli(['up', project.dir], {
      env: { CLAUDE_TUI_IMAGES_DIR: fixture('agent-exits') },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`The container ${project.names.agent} stopped`);
    expect(result.stderr).toContain('the-agent-exit-marker');
    expect(await engine.listContainers(projectFilter(project.id))).toEqual([]);
    expect(await engine.inspectNetwork(project.names.network)).toBeUndefined();
    expect(await engine.inspectVolume(project.names.homeVolume)).toBeUndefined();
  });
});
