import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSidecars } from '../../src/bridge/sidecars.js';
import type { BridgePolicy } from '../../src/config/bridge-policy.js';
import { createDockerEngine } from '../../src/docker/engine-http.js';
import { dockerAvailable } from '../support/cli.js';

const engine = createDockerEngine();
/** The locally seeded base image: nothing is pulled. */
const IMAGE = 'debian:bookworm-slim';
const compose = `ctui-sidecars-${process.pid}`;
const other = `${compose}-other`;
const made: string[] = [];

async function composeContainer(name: string, project: string, service: string, run: boolean): Promise<void> {
  await engine.createContainer(name, {
    Image: IMAGE,
    Cmd: ['sleep', 'infinity'],
    Labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service },
    HostConfig: { NetworkMode: 'none' },
  });
  made.push(name);
  if (run) await engine.startContainer(name);
}

const command = (container: string) => ({
  container,
  exec: container,
  workdir: undefined,
  user: undefined,
  env: [],
});
const bridge: BridgePolicy = {
  composeProject: compose,
  defaultContainer: 'app',
  containers: {
    app: { service: 'php' },
    js: { serviceOrContainer: 'node' },
    db: { containerName: `${other}-db-1` },
  },
  commands: { php: command('app'), composer: command('app'), npm: command('js'), psql: command('db') },
};

describe.skipIf(!dockerAvailable())('sidecars: a compose project of real labelled containers', () => {
  beforeAll(async () => {
    await composeContainer(`${compose}-php-1`, compose, 'php', true);
    await composeContainer(`${compose}-node-1`, compose, 'node', false);
    await composeContainer(`${compose}-db-1`, compose, 'db', true);
    // Another compose project's database, named in the bridge: it must not be reached.
    await composeContainer(`${other}-db-1`, other, 'db', true);
  }, 60_000);

  afterAll(async () => {
    for (const name of made) await engine.removeContainer(name);
  });

  it('lists the project’s containers by its label, with state and the commands mapped to each', async () => {
    const view = await listSidecars(engine, compose, bridge);
    expect(view.composeProject).toBe(compose);
    expect(view.sidecars.map((s) => [s.service, s.container, s.state, s.commands])).toEqual([
      ['db', `${compose}-db-1`, 'running', []],
      ['node', `${compose}-node-1`, 'created', ['npm']],
      ['php', `${compose}-php-1`, 'running', ['composer', 'php']],
    ]);
    expect(view.sidecars.find((s) => s.service === 'php')?.status).toMatch(/^Up /);
    expect(view.unreached).toEqual([{ name: 'db', target: `container ${other}-db-1`, commands: ['psql'] }]);
  });

  it('follows a container that stops', async () => {
    await engine.stopContainer(`${compose}-php-1`, 0);
    const view = await listSidecars(engine, compose, bridge);
    expect(view.sidecars.find((s) => s.service === 'php')?.state).toBe('exited');
  });
});
