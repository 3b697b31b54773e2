import { describe, expect, it } from 'vitest';
import { servedBridge, stillServed } from '../../src/bridge/served-bridge.js';
import type { BridgeCommand, BridgePolicy } from '../../src/config/bridge-policy.js';

const php: BridgeCommand = {
  container: 'php',
  exec: 'php',
  workdir: '/app',
  user: 'www-data',
  env: ['A', 'B'],
};
const approved: BridgePolicy = {
  composeProject: 'shop',
  defaultContainer: 'php',
  containers: { php: { service: 'php' }, db: { service: 'db' } },
  commands: { php, psql: { container: 'db', exec: 'psql', workdir: undefined, user: '999', env: [] } },
};

const live = (change: (p: BridgePolicy) => void = () => undefined) => {
  const copy = structuredClone(approved);
  change(copy);
  return { policy: copy };
};

describe('servedBridge: the approved bridge as the live bridge.yaml narrows it', () => {
  it('serves what is the same in both', () => {
    const served = servedBridge(
      approved,
      live((p) => (p.commands.php!.env = ['B', 'A'])),
    );
    expect(Object.keys(served.policy!.commands)).toEqual(['php', 'psql']);
    expect(served.withheld.size).toBe(0);
  });

  it('withholds a command taken out or changed, in any of its parts or its container', () => {
    const changes: [string, (p: BridgePolicy) => void][] = [
      ['taken out', (p) => delete p.commands.php],
      ['changed', (p) => (p.commands.php!.exec = 'bash')],
      ['changed', (p) => (p.commands.php!.user = 'root2')],
      ['changed', (p) => (p.commands.php!.workdir = '/')],
      ['changed', (p) => (p.commands.php!.env = ['A'])],
      ['changed', (p) => (p.containers.php = { containerName: 'other' })],
      ['changed', (p) => (p.commands.php!.container = 'db')],
    ];
    for (const [how, change] of changes) {
      const served = servedBridge(approved, live(change));
      expect(Object.keys(served.policy!.commands)).toEqual(['psql']);
      expect(served.withheld.get('php')).toMatch(new RegExp(`php was ${how}`));
      expect(stillServed(approved, 'php', served)).toBe(false);
      expect(stillServed(approved, 'psql', served)).toBe(true);
    }
  });

  it('never serves what only the live file has', () => {
    const served = servedBridge(
      approved,
      live(
        (p) => (p.commands.evil = { container: 'db', exec: 'cat', workdir: undefined, user: '1', env: [] }),
      ),
    );
    expect(Object.keys(served.policy!.commands)).toEqual(['php', 'psql']);
    expect(servedBridge(undefined, live()).policy).toBeUndefined();
  });

  it('serves nothing, saying why, when the live file is gone, unreadable, invalid or names another project', () => {
    const gone = servedBridge(approved, { problem: '.claude/bridge.yaml is gone' });
    expect(gone.policy).toBeUndefined();
    expect(gone.none).toBe('.claude/bridge.yaml is gone');
    expect(stillServed(approved, 'php', gone)).toBe(false);
    const other = servedBridge(
      approved,
      live((p) => (p.composeProject = 'bank')),
    );
    expect(other.policy).toBeUndefined();
    expect(other.none).toMatch(/compose project bank, not the approved shop/);
  });
});
