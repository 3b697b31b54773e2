import { describe, expect, it } from 'vitest';
import { mapSidecars } from '../../src/bridge/sidecars.js';
import type { BridgeCommand, BridgePolicy } from '../../src/config/bridge-policy.js';
import type { ContainerSummary } from '../../src/docker/engine.js';

function container(name: string, labels: Record<string, string>, state = 'running'): ContainerSummary {
  return {
    Id: `${name}-id-0123456789`,
    Names: [`/${name}`],
    Image: 'php:8',
    State: state,
    Status: state === 'running' ? 'Up 3 minutes' : 'Exited (0) 1 minute ago',
    Labels: labels,
  };
}

const compose = (project: string, service?: string) => ({
  'com.docker.compose.project': project,
  ...(service ? { 'com.docker.compose.service': service } : {}),
});

const command = (target: string, exec = 'x'): BridgeCommand => ({
  container: target,
  exec,
  workdir: undefined,
  user: undefined,
  env: [],
});

const shop = [
  container('shop-php-1', compose('shop', 'php')),
  container('shop-node-1', compose('shop', 'node'), 'exited'),
  container('shop-db-1', compose('shop', 'db')),
  container('legacy', compose('shop')),
];

const bridge: BridgePolicy = {
  composeProject: 'shop',
  defaultContainer: 'app',
  containers: {
    app: { service: 'php' },
    js: { serviceOrContainer: 'node' },
    old: { serviceOrContainer: 'legacy' },
    cache: { containerName: 'shop-redis-1' },
  },
  commands: {
    php: command('app'),
    composer: command('app'),
    npm: command('js'),
    perl: command('old'),
    'redis-cli': command('cache'),
  },
};

describe('mapSidecars', () => {
  it('gives every container of the compose project its service, state and the commands mapped to it', () => {
    const view = mapSidecars('shop', shop, bridge);
    expect(view.sidecars).toEqual([
      {
        service: undefined,
        container: 'legacy',
        state: 'running',
        status: 'Up 3 minutes',
        commands: ['perl'],
      },
      { service: 'db', container: 'shop-db-1', state: 'running', status: 'Up 3 minutes', commands: [] },
      {
        service: 'node',
        container: 'shop-node-1',
        state: 'exited',
        status: 'Exited (0) 1 minute ago',
        commands: ['npm'],
      },
      {
        service: 'php',
        container: 'shop-php-1',
        state: 'running',
        status: 'Up 3 minutes',
        commands: ['composer', 'php'],
      },
    ]);
  });

  it('names the targets no container answers to, with their commands', () => {
    expect(mapSidecars('shop', shop, bridge).unreached).toEqual([
      { name: 'cache', target: 'container shop-redis-1', commands: ['redis-cli'] },
    ]);
  });

  it('takes the plain form as a service when there is one, even if a container has that name', () => {
    const tricky = [
      container('node', compose('shop', 'frontend')),
      container('shop-node-1', compose('shop', 'node')),
    ];
    const view = mapSidecars('shop', tricky, bridge);
    expect(view.sidecars.find((s) => s.container === 'shop-node-1')?.commands).toEqual(['npm']);
    expect(view.sidecars.find((s) => s.container === 'node')?.commands).toEqual([]);
  });

  it('maps a service to the container the bridge picks: the running one with the lowest number', () => {
    const numbered = (name: string, n: number, state = 'running') =>
      container(name, { ...compose('shop', 'php'), 'com.docker.compose.container-number': String(n) }, state);
    const scaled = [
      numbered('shop-php-3', 3),
      numbered('shop-php-1', 1, 'exited'),
      numbered('shop-php-2', 2),
    ];
    const picked = (list: ContainerSummary[]) =>
      mapSidecars('shop', list, bridge).sidecars.filter((s) => s.service === 'php' && s.commands.length);
    expect(picked(scaled).map((s) => s.container)).toEqual(['shop-php-2']);
    // None running: the stopped one carries its commands, so the person sees why they fail.
    expect(
      picked([numbered('shop-php-2', 2, 'exited'), numbered('shop-php-1', 1, 'exited')]).map(
        (s) => s.container,
      ),
    ).toEqual(['shop-php-1']);
  });

  it('never counts claude-tui’s own containers as sidecars, whatever their compose labels', () => {
    const exported = [
      ...shop,
      container('shop-gateway-1', { ...compose('shop', 'gateway'), 'dev.claude-tui.role': 'gateway' }),
      container('node', { ...compose('shop', 'agent'), 'dev.claude-tui.managed': 'true' }),
    ];
    const view = mapSidecars('shop', exported, {
      ...bridge,
      containers: { ...bridge.containers, gw: { service: 'gateway' } },
      commands: { ...bridge.commands, ip: command('gw') },
    });
    expect(view.sidecars.map((s) => s.container)).not.toContain('shop-gateway-1');
    expect(view.sidecars.map((s) => s.container)).not.toContain('node');
    expect(view.unreached.map((u) => u.name)).toContain('gw');
  });

  it('never shows a container of another compose project, even one the bridge names', () => {
    const mixed = [...shop, container('shop-redis-1', compose('other', 'redis'))];
    const view = mapSidecars('shop', mixed, bridge);
    expect(view.sidecars.map((s) => s.container)).not.toContain('shop-redis-1');
    expect(view.unreached.map((u) => u.name)).toEqual(['cache']);
  });

  it('lists the services with no command when there is no bridge policy', () => {
    const view = mapSidecars('shop', shop);
    expect(view.sidecars.every((s) => s.commands.length === 0)).toBe(true);
    expect(view.sidecars).toHaveLength(4);
    expect(view.unreached).toEqual([]);
  });

  it('names a command whose container is not in the containers map', () => {
    const broken = { ...bridge, commands: { go: command('nowhere') } };
    expect(mapSidecars('shop', shop, broken).unreached).toEqual([
      { name: 'nowhere', target: 'not in containers', commands: ['go'] },
    ]);
  });
});
