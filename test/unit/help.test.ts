import { describe, expect, it } from 'vitest';
import { globalFlags } from '../../src/cli/args.js';
import { commandHelp, mainHelp } from '../../src/cli/help.js';
import { commands, findCommand } from '../../src/cli/command-table.js';

describe('mainHelp', () => {
  const text = mainHelp();
  const lines = text.split('\n');

  it('lists every command of the table with its usage and summary on one line', () => {
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const line = lines.find((l) => l.trimStart().startsWith(command.usage));
      expect(line, command.name).toBeDefined();
      expect(line).toContain(command.summary);
    }
  });

  it('lines up the summaries in one column', () => {
    const columns = commands.map((c) => {
      const line = lines.find((l) => l.includes(c.summary))!;
      return line.indexOf(c.summary);
    });
    expect(new Set(columns).size).toBe(1);
  });

  it('lists --version and the global flags', () => {
    expect(text).toContain('--version');
    for (const flag of globalFlags) expect(text).toContain(`--${flag.name}`);
    expect(text).toContain('--log-level VALUE');
  });

  it('starts with the usage line', () => {
    expect(text).toContain('Usage: claude-tui <command> [options]');
  });
});

describe('commandHelp', () => {
  it('lists each flag of the command and the global flags, with VALUE for value flags', () => {
    for (const command of commands) {
      const text = commandHelp(command);
      expect(text.startsWith(`Usage: claude-tui ${command.usage}\n`)).toBe(true);
      for (const flag of [...command.flags, ...globalFlags]) {
        const label = `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.value ? ' VALUE' : ''}`;
        const line = text.split('\n').find((l) => l.trimStart().startsWith(`${label} `));
        expect(line, `${command.name} ${label}`).toBeDefined();
        expect(line).toContain(flag.description);
      }
    }
  });

  it('capitalises the summary into a sentence', () => {
    const build = findCommand('build')!;
    expect(commandHelp(build)).toContain(`${build.summary[0]!.toUpperCase()}${build.summary.slice(1)}.`);
    expect(commandHelp(build)).toContain('--rebuild');
    expect(commandHelp(findCommand('allow')!)).toContain('--project VALUE');
  });

  it("does not list another command's flags", () => {
    expect(commandHelp(findCommand('down')!)).not.toContain('--rebuild');
    expect(commandHelp(findCommand('shell')!)).not.toContain('--json');
  });
});

describe('command table', () => {
  it('has unique names, each usage starting with its name', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of commands) expect(command.usage.split(' ')[0]).toBe(command.name);
  });

  it('has the documented commands', () => {
    for (const name of ['up', 'down', 'ls', 'status', 'allow', 'shell', 'exec', 'build', 'doctor']) {
      expect(findCommand(name), name).toBeDefined();
    }
    expect(findCommand('nope')).toBeUndefined();
  });

  it('gives no command a flag that clashes with a global flag', () => {
    const global = new Set(globalFlags.map((f) => f.name));
    for (const command of commands) {
      for (const flag of command.flags)
        expect(global.has(flag.name), `${command.name} --${flag.name}`).toBe(false);
    }
  });
});
