import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import {
  callKind,
  callLine,
  callOutcome,
  formatDuration,
  networkLine,
  sidecarCommands,
} from '../../src/app/describe-bridge.js';
import { defaultBindings } from '../../src/ui/keymap.js';
import { colourTheme, ThemeContext } from '../../src/ui/theme.js';
import { createFakeDomain, type FakeDomain } from '../support/fake-domain.js';
import { InkTerminal, KEYS } from '../support/ink-terminal.js';

let terminal: InkTerminal | undefined;
afterEach(() => {
  terminal?.unmount();
  terminal = undefined;
});

function open(domain: FakeDomain, size = { cols: 100, rows: 30 }): InkTerminal {
  terminal = new InkTerminal(
    <ThemeContext value={colourTheme}>
      <App domain={domain} bindings={defaultBindings()} bell={false} />
    </ThemeContext>,
    size,
  );
  return terminal;
}

/** Opens the bridge screen of the first project (alpha), once the list is there. */
async function bridgeOf(domain: FakeDomain, size?: { cols: number; rows: number }): Promise<InkTerminal> {
  const t = open(domain, size);
  await t.waitFor('fix-login');
  await t.press('b');
  await t.waitFor('RECENT CALLS');
  return t;
}

const row = (screen: string, text: string) => screen.split('\n').find((line) => line.includes(text)) ?? '';

describe('the bridge screen', () => {
  it('shows the networks, the sidecars with their commands, and the recent calls', async () => {
    const t = await bridgeOf(createFakeDomain());
    const screen = await t.waitFor('composer');
    expect(screen).toContain('claude-tui bridge');
    expect(row(screen, 'shop_default')).toContain('compose project shop');
    expect(row(screen, 'old-net')).toContain('missing');
    expect(row(screen, 'SIDECARS')).toContain('compose project shop · 2 containers, 1 bridged');
    expect(row(screen, 'shop-php-1')).toMatch(/php\s+shop-php-1\s+running\s+composer, php/);
    expect(row(screen, 'shop-db-1')).toMatch(/db\s+shop-db-1\s+running\s+not bridged/);
    expect(row(screen, 'service node')).toMatch(/js\s+service node\s+missing\s+npm cannot run/);
    expect(row(screen, 'RECENT CALLS')).toContain('3 · newest first');
    expect(row(screen, '240 ms')).toMatch(/php\s+exit 0\s+240 ms\s+\d+s ago/);
    expect(row(screen, '12 s')).toMatch(/composer\s+exit 2\s+12 s\s+1m ago/);
    expect(row(screen, 'curl')).toMatch(/curl\s+refused\s+0 ms\s+2m ago\s+not a bridged command/);
  });

  it('shows a new call within a second or so, without reading the sidecars again', async () => {
    const domain = createFakeDomain();
    const t = await bridgeOf(domain);
    await t.waitFor('composer');
    const reads = domain.calls.filter((c) => c.startsWith('bridge ')).length;
    domain.world.bridgeCalls['/home/dev/alpha']!.unshift({
      at: Date.now(),
      command: 'phpunit',
      exitCode: 1,
      durationMs: 3100,
    });
    await t.waitFor(/phpunit\s+exit 1\s+3\.1 s/, 3000);
    expect(domain.calls.filter((c) => c.startsWith('bridge ')).length).toBe(reads);
  });

  it('reads the sidecars again when Docker says a compose container changed', async () => {
    const domain = createFakeDomain();
    const t = await bridgeOf(domain);
    await t.waitFor('shop-db-1');
    domain.world.bridges['/home/dev/alpha']!.sidecars!.sidecars[0]!.state = 'exited';
    domain.composeEvent('shop');
    await t.waitFor(/shop-db-1\s+exited/, 2000);
  });

  it('says what to write when the project joins no network and has no bridge', async () => {
    const domain = createFakeDomain();
    const t = open(domain);
    await t.waitFor('fix-login');
    await t.press('j', 'b');
    const screen = await t.waitFor('no command bridge');
    expect(screen).toContain('networks: [NAME]');
    expect(screen).toContain('no calls yet');
  });

  it('moves between sidecars and calls with tab and goes back on escape', async () => {
    const domain = createFakeDomain();
    const t = await bridgeOf(domain);
    await t.waitFor('composer');
    const marked = (screen: string) => screen.split('\n').filter((line) => line.includes('›'));
    // Each list marks its selected row; the calls' first row until tab moves there and down moves on.
    expect(marked(await t.settle()).some((line) => line.includes('exit 0'))).toBe(true);
    await t.press(KEYS.tab, KEYS.down);
    const after = marked(await t.settle());
    expect(after.some((line) => line.includes('composer'))).toBe(true);
    expect(after.some((line) => line.includes('exit 0'))).toBe(false);
    await t.press(KEYS.escape);
    await t.waitFor('SESSIONS');
  });

  it('fits 80x24', async () => {
    const t = await bridgeOf(createFakeDomain(), { cols: 80, rows: 24 });
    const screen = await t.waitFor('refused');
    expect(screen).toContain('shop-php-1');
    expect(screen.split('\n').every((line) => line.length <= 80)).toBe(true);
  });
});

describe('bridge formatting', () => {
  it('writes durations short', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(42.4)).toBe('42 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3m 05s');
  });

  it('says how a call ended', () => {
    const call = { at: 0, command: 'php', durationMs: 1 };
    expect(callOutcome({ ...call, exitCode: 0 })).toBe('exit 0');
    expect(callKind({ ...call, exitCode: 0 })).toBe('ok');
    expect(callOutcome({ ...call, exitCode: 130 })).toBe('exit 130');
    expect(callKind({ ...call, exitCode: 130 })).toBe('failed');
    expect(callOutcome({ ...call, exitCode: undefined, refused: 'path outside the workdir' })).toBe(
      'refused',
    );
    expect(callKind({ ...call, exitCode: undefined, refused: 'x' })).toBe('refused');
    expect(callOutcome({ ...call, exitCode: undefined })).toBe('did not run');
  });

  it('puts a call on one line with its age', () => {
    const now = 1_700_000_100_000;
    expect(callLine({ at: now - 90_000, command: 'npm', exitCode: 0, durationMs: 1500 }, now)).toMatch(
      /^npm\s+exit 0\s+1\.5 s\s+1m ago$/,
    );
    expect(
      callLine(
        { at: now, command: 'sh', exitCode: undefined, durationMs: 2, refused: 'not a bridged command' },
        now,
      ),
    ).toMatch(/^sh\s+refused\s+2 ms\s+0s ago\s+not a bridged command$/);
  });

  it('names a sidecar no command reaches, and a network that is missing or compose-made', () => {
    const sidecar = { service: 'db', container: 'shop-db-1', state: 'running', status: 'Up', commands: [] };
    expect(sidecarCommands(sidecar)).toBe('not bridged');
    expect(sidecarCommands({ ...sidecar, commands: ['psql', 'pg_dump'] })).toBe('psql, pg_dump');
    expect(networkLine({ name: 'shop_default', exists: true, composeProject: 'shop' })).toBe(
      'shop_default  compose project shop',
    );
    expect(networkLine({ name: 'plain', exists: true, composeProject: undefined })).toBe('plain');
    expect(networkLine({ name: 'gone', exists: false, composeProject: undefined })).toMatch(
      /^gone {2}missing/,
    );
  });
});
