import { describe, expect, it } from 'vitest';
import { agentCommand } from '../../src/session/agent-command.js';
import { parseDetachKey } from '../../src/session/detach-key.js';
import { createNotifiers, describeEvent, smsSettings } from '../../src/session/notify.js';
import { nextSessionName, validateSessionName } from '../../src/session/session-names.js';
import { parseSessionLine } from '../../src/session/session-state.js';
import { stripTerminalReplies } from '../../src/session/terminal-modes.js';
import { isNotable } from '../../src/session/watch-sessions.js';
import type { ProcessRunner } from '../../src/system/process.js';

describe('the detach key', () => {
  const key = parseDetachKey('ctrl+q');
  it.each([
    ['a lone control byte', '\x11', 0, 1],
    ['the byte inside a longer read', 'abc\x11def', 3, 1],
    ['kitty CSI-u', 'x\x1b[113;5u', 1, 8],
    ['kitty CSI-u with an event type', '\x1b[113;5:1u', 0, 10],
    ['kitty CSI-u with caps lock on', '\x1b[113;69u', 0, 9],
    ['modifyOtherKeys', 'ab\x1b[27;5;113~', 2, 11],
  ])('is found as %s', (_, input, index, length) => {
    expect(key.find(input)).toEqual({ index, length });
  });

  it('ignores other keys, and Ctrl+Q sent for another letter', () => {
    expect(key.find('q\x1b[113u\x1b[119;5u\x01')).toBeUndefined();
  });

  it('can be another letter, and refuses what it cannot match', () => {
    expect(parseDetachKey('Ctrl+B').find('\x02')).toEqual({ index: 0, length: 1 });
    expect(parseDetachKey('ctrl+]').find('\x1d')).toEqual({ index: 0, length: 1 });
    expect(parseDetachKey('ctrl+]').dockerForm).toBe('ctrl-]');
    expect(key.dockerForm).toBe('ctrl-q');
    expect(() => parseDetachKey('alt+q')).toThrow(/not one claude-tui can use/);
  });
});

describe('terminal replies after attach', () => {
  it('drops device attributes, cursor reports and colour answers, keeps typing', () => {
    const input = 'a\x1b[?62;22c\x1b[>41;390;0cb\x1b[12;40Rc\x1b]11;rgb:0000/0000/0000\x07d';
    expect(stripTerminalReplies(input)).toBe('abcd');
  });
});

describe('session names', () => {
  it('accepts plain names and refuses others', () => {
    expect(validateSessionName('fix-bug_2')).toBe('fix-bug_2');
    for (const bad of ['', '-x', 'a b', 'a;b', 'x'.repeat(41)])
      expect(() => validateSessionName(bad)).toThrow();
  });
  it('picks the first free default name', () => {
    expect(nextSessionName(['s1', 's3'])).toBe('s2');
  });
});

describe('session state', () => {
  const now = Date.parse('2026-01-01T00:00:10Z');
  const epoch = (iso: string) => String(Date.parse(iso) / 1000);
  it('takes a hook state as it is', () => {
    const line = [
      'a',
      'waiting',
      epoch('2026-01-01T00:00:05Z'),
      'hook',
      'yes',
      epoch('2026-01-01T00:00:00Z'),
      epoch('2026-01-01T00:00:09Z'),
      '-',
    ].join('\t');
    expect(parseSessionLine(line, now)).toMatchObject({
      state: 'waiting',
      source: 'hook',
      running: true,
      exitCode: null,
    });
  });
  it('judges an agent without hooks by output timing', () => {
    const line = (activity: string) =>
      ['b', 'working', epoch('2026-01-01T00:00:00Z'), 'start', 'yes', '0', epoch(activity), '-'].join('\t');
    expect(parseSessionLine(line('2026-01-01T00:00:09Z'), now)).toMatchObject({
      state: 'working',
      source: 'activity',
    });
    expect(parseSessionLine(line('2026-01-01T00:00:01Z'), now)).toMatchObject({
      state: 'idle',
      source: 'activity',
    });
  });
  it('calls a vanished tmux session exited, with the code when the agent left one', () => {
    const line = ['c', 'exited', '0', 'agent', 'no', '0', '0', '3'].join('\t');
    expect(parseSessionLine(line, now)).toMatchObject({ state: 'exited', exitCode: 3, running: false });
    const killed = ['d', 'working', '0', 'hook', 'no', '0', '0', '-'].join('\t');
    expect(parseSessionLine(killed, now)).toMatchObject({ state: 'exited', source: 'tmux', exitCode: null });
  });
  it('notifies only on a change into waiting, idle or exited', () => {
    const session = parseSessionLine(['e', 'waiting', '0', 'hook', 'yes', '0', '0', '-'].join('\t'), now)!;
    expect(isNotable({ session, from: 'working' })).toBe(true);
    expect(isNotable({ session, from: undefined })).toBe(false);
    expect(isNotable({ session: { ...session, state: 'working' }, from: 'idle' })).toBe(false);
  });
});

describe('the agent command', () => {
  it('defaults to claude, adds yolo only for claude, and appends the extra arguments', () => {
    expect(agentCommand({}, ['--continue'], {})).toEqual(['claude', '--continue']);
    expect(agentCommand({ agent: { yolo: true } }, [], {})).toEqual([
      'claude',
      '--dangerously-skip-permissions',
    ]);
    expect(agentCommand({}, [], { CLAUDE_YOLO: '1' })).toEqual(['claude', '--dangerously-skip-permissions']);
    expect(agentCommand({ agent: { command: 'aider --model x', yolo: true } }, [], {})).toEqual([
      'aider',
      '--model',
      'x',
    ]);
  });
});

describe('notifications', () => {
  const event = {
    project: '/p',
    projectName: 'p',
    session: 's1',
    state: 'exited' as const,
    exitCode: 2,
    at: '',
  };
  const processes: ProcessRunner = {
    run: () => Promise.resolve({ stdout: '', stderr: '', exitCode: 0 }),
    runOnTerminal: () => Promise.resolve(0),
    spawnDetached: () => Promise.resolve(1),
  };
  it('describes the event for a person', () => {
    expect(describeEvent(event)).toBe('p/s1 has ended (exit 2)');
    expect(describeEvent({ ...event, state: 'waiting' })).toBe('p/s1 is waiting for you');
  });
  it('turns SMS on only with every Twilio setting, from the settings or the environment', () => {
    expect(
      smsSettings(undefined, { TWILIO_TO: '1', TWILIO_FROM: '2', TWILIO_ACCOUNT_SID: 'AC' }, 't'),
    ).toMatchObject({ apiBase: 'https://api.twilio.com', authToken: 't' });
    expect(smsSettings({ to: '1', from: '2', accountSid: 'AC' }, {}, undefined)).toBeUndefined();
    expect(smsSettings({ to: '1', from: '2' }, {}, 't')).toBeUndefined();
  });
  it('builds one notifier per configured channel', () => {
    expect(createNotifiers({ desktop: false }, { processes, env: {} })).toHaveLength(0);
    expect(
      createNotifiers(
        { webhook: 'http://127.0.0.1:1/x', command: 'true' },
        { processes, env: {}, bell: () => undefined },
      ),
    ).toHaveLength(4);
  });
});
