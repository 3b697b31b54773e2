import { describe, expect, it } from 'vitest';
import type { BridgeCommand, BridgePolicy } from '../../src/config/bridge-policy.js';
import { compareBridge } from '../../src/policy/bridge-changes.js';
import { classifyChange } from '../../src/policy/classify-change.js';
import { effectivePolicy } from '../support/effective-policy.js';

const php: BridgeCommand = {
  container: 'php',
  exec: 'php',
  workdir: '/var/www/html',
  user: 'www-data',
  env: [],
};

/** The bridge of a shop with php and composer in its php service. */
function shop(change: (policy: BridgePolicy) => void = () => undefined): BridgePolicy {
  const policy: BridgePolicy = {
    composeProject: 'shop',
    defaultContainer: undefined,
    containers: { php: { service: 'php' } },
    commands: { php: { ...php }, composer: { ...php, exec: '/usr/local/bin/composer' } },
  };
  change(policy);
  return policy;
}

function compare(was: BridgePolicy | undefined, now: BridgePolicy | undefined) {
  const result = { widens: [] as string[], narrows: [] as string[] };
  compareBridge(was, now, {
    widen: (text) => result.widens.push(text),
    narrow: (text) => result.narrows.push(text),
  });
  return result;
}

describe('compareBridge', () => {
  it('finds nothing between equal bridges, whatever order the file gave', () => {
    const reordered = shop((p) => {
      p.commands = {
        composer: p.commands.composer!,
        php: { env: [], user: 'www-data', workdir: '/var/www/html', exec: 'php', container: 'php' },
      };
    });
    expect(compare(shop(), reordered)).toEqual({ widens: [], narrows: [] });
    expect(compare(undefined, undefined)).toEqual({ widens: [], narrows: [] });
  });

  it('says what a new bridge lets the agent run, where and as whom', () => {
    const now = shop((p) => {
      p.containers.app = { serviceOrContainer: 'app' };
      p.containers.node = { containerName: 'shop-node-1' };
      p.commands.npm = {
        container: 'node',
        exec: 'npm',
        workdir: undefined,
        user: undefined,
        env: ['NPM_TOKEN', 'CI'],
      };
    });
    expect(compare(undefined, now)).toEqual({
      widens: [
        'adds a command bridge into the compose project shop',
        'adds the bridge container php → service php',
        'adds the bridge container app → service or container app',
        'adds the bridge container node → container shop-node-1',
        'adds the bridge command php → service php, runs php in /var/www/html as www-data',
        'adds the bridge command composer → service php, runs /usr/local/bin/composer in /var/www/html as www-data',
        'adds the bridge command npm → container shop-node-1, runs npm as your own uid:gid, passing NPM_TOKEN, CI from the agent',
      ],
      narrows: [],
    });
  });

  it('widens for any change to what a command runs, where, as whom or with which variables', () => {
    const changes: [(c: BridgeCommand) => void, string][] = [
      [(c) => (c.exec = 'bash'), 'runs bash in /var/www/html as www-data'],
      [(c) => (c.workdir = '/'), 'runs php in / as www-data'],
      [(c) => (c.workdir = undefined), 'runs php as www-data'],
      [(c) => (c.user = '1000:1000'), 'runs php in /var/www/html as 1000:1000'],
      [(c) => (c.user = undefined), 'runs php in /var/www/html as your own uid:gid'],
      [
        (c) => (c.env = ['AWS_SECRET_ACCESS_KEY']),
        'runs php in /var/www/html as www-data, passing AWS_SECRET_ACCESS_KEY from the agent',
      ],
    ];
    for (const [change, text] of changes) {
      const now = shop((p) => change(p.commands.php!));
      expect(compare(shop(), now)).toEqual({
        widens: [`changes the bridge command php → service php, ${text}`],
        narrows: [],
      });
    }
    // Fewer variables is still another command than the one approved.
    const was = shop((p) => (p.commands.php!.env = ['A', 'B']));
    expect(compare(was, shop()).widens).toEqual([
      'changes the bridge command php → service php, runs php in /var/www/html as www-data',
    ]);
  });

  it('widens for a container pointed elsewhere, a command moved to another one, or another compose project', () => {
    const elsewhere = shop((p) => (p.containers.php = { containerName: 'db' }));
    expect(compare(shop(), elsewhere).widens).toEqual([
      'points the bridge container php at container db (was service php)',
    ]);
    const moved = shop((p) => {
      p.containers.db = { service: 'db' };
      p.commands.php!.container = 'db';
    });
    expect(compare(shop(), moved).widens).toEqual([
      'adds the bridge container db → service db',
      'changes the bridge command php → service db, runs php in /var/www/html as www-data',
    ]);
    expect(
      compare(
        shop(),
        shop((p) => (p.composeProject = 'bank')),
      ).widens,
    ).toEqual(['moves the command bridge to the compose project bank (was shop)']);
    expect(
      compare(
        shop(),
        shop((p) => (p.defaultContainer = 'php')),
      ).widens,
    ).toEqual(["makes php the bridge's default container"]);
  });

  it('counts a command named constructor or toString as added, like any other', () => {
    const [constructor, toString]: string[] = ['constructor', 'toString'];
    const now = shop((p) => {
      p.commands[constructor!] = { ...php };
      p.commands[toString!] = { ...php, exec: 'sh' };
    });
    expect(compare(shop(), now).widens).toEqual([
      'adds the bridge command constructor → service php, runs php in /var/www/html as www-data',
      'adds the bridge command toString → service php, runs sh in /var/www/html as www-data',
    ]);
  });

  it('only narrows when commands, containers or the whole bridge go', () => {
    const fewer = shop((p) => {
      delete p.commands.composer;
    });
    expect(compare(shop(), fewer)).toEqual({ widens: [], narrows: ['removes the bridge command composer'] });
    const withApp = shop((p) => (p.containers.app = { service: 'app' }));
    expect(compare(withApp, shop())).toEqual({ widens: [], narrows: ['removes the bridge container app'] });
    expect(compare(shop(), undefined)).toEqual({
      widens: [],
      narrows: ['removes the command bridge (php, composer)'],
    });
  });
});

describe('classifyChange with a bridge', () => {
  it('files bridge changes under bridge, widening and narrowing', () => {
    const was = { ...effectivePolicy(), bridge: shop() };
    const now = {
      ...effectivePolicy(),
      bridge: shop((p) => {
        delete p.commands.composer;
        p.commands.php!.user = '33';
      }),
    };
    const result = classifyChange(was, now);
    expect(result.widens).toEqual([
      {
        kind: 'bridge',
        text: 'changes the bridge command php → service php, runs php in /var/www/html as 33',
      },
    ]);
    expect(result.narrows).toEqual([{ kind: 'bridge', text: 'removes the bridge command composer' }]);
  });
});
