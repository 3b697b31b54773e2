/**
 * Every dashboard action as data: an id, where it applies, what it does and its default keys. The
 * screens ask "which command is this key?" and the help overlay is printed from this same table,
 * so the two cannot drift. The person may rebind any command in the app settings (`keys`).
 */
export type KeyScope =
  'global' | 'projects' | 'allowlist' | 'bridge' | 'policy' | 'cleanup' | 'merge' | 'merge-conflict';

export interface CommandInfo {
  scope: KeyScope;
  description: string;
  keys: readonly string[];
}

export const COMMANDS = {
  'app.help': { scope: 'global', description: 'show or hide this help', keys: ['?'] },
  'app.quit': { scope: 'global', description: 'quit (sessions keep running)', keys: ['q', 'ctrl+c'] },
  'app.back': { scope: 'global', description: 'back / cancel', keys: ['escape'] },
  'list.up': { scope: 'global', description: 'move up', keys: ['up', 'k'] },
  'list.down': { scope: 'global', description: 'move down', keys: ['down', 'j'] },
  'list.top': { scope: 'global', description: 'first item', keys: ['home', 'g'] },
  'list.bottom': { scope: 'global', description: 'last item', keys: ['end', 'G'] },
  'list.pageup': { scope: 'global', description: 'a page up', keys: ['pageup'] },
  'list.pagedown': { scope: 'global', description: 'a page down', keys: ['pagedown'] },
  'list.filter': { scope: 'global', description: 'filter the list', keys: ['/'] },
  'projects.focus': { scope: 'projects', description: 'switch between projects and sessions', keys: ['tab'] },
  'session.attach': { scope: 'projects', description: 'attach to the session', keys: ['enter'] },
  'session.start': { scope: 'projects', description: 'start a session (name, agent args)', keys: ['s'] },
  'session.stop': { scope: 'projects', description: 'stop the session', keys: ['x'] },
  'session.merge': {
    scope: 'projects',
    description: "review a git session's commits and land the ones you pick",
    keys: ['m'],
  },
  'project.add': { scope: 'projects', description: 'add a project by path', keys: ['a'] },
  'project.up': { scope: 'projects', description: 'bring the project up', keys: ['u'] },
  'project.down': { scope: 'projects', description: 'take the project down', keys: ['d'] },
  'screen.allowlist': { scope: 'projects', description: "edit the project's allowlist", keys: ['w'] },
  'screen.cleanup': { scope: 'projects', description: 'clean up containers, volumes, images', keys: ['c'] },
  'screen.policy': {
    scope: 'projects',
    description: 'review a change to the policy files, and host-run files that changed',
    keys: ['r'],
  },
  'screen.bridge': {
    scope: 'projects',
    description: "the project's networks, compose sidecars and the command bridge's recent calls",
    keys: ['b'],
  },
  'allow.switch': { scope: 'allowlist', description: 'switch between allowlist and refused', keys: ['tab'] },
  'allow.add': { scope: 'allowlist', description: 'add an entry', keys: ['a'] },
  'allow.edit': { scope: 'allowlist', description: 'edit the entry', keys: ['e'] },
  'allow.delete': { scope: 'allowlist', description: 'delete the entry', keys: ['x'] },
  'allow.refused': { scope: 'allowlist', description: 'allow the refused name', keys: ['enter'] },
  'allow.apply': { scope: 'allowlist', description: 'apply to the gateway now', keys: ['p'] },
  'allow.approve': {
    scope: 'allowlist',
    description: 'review an outside change (the diff of every policy file)',
    keys: ['y', 'r'],
  },
  'bridge.switch': {
    scope: 'bridge',
    description: 'switch between sidecars and recent calls',
    keys: ['tab'],
  },
  'policy.approve': { scope: 'policy', description: 'approve the change and apply it', keys: ['y'] },
  'cleanup.toggle': { scope: 'cleanup', description: 'select or unselect', keys: ['space'] },
  'cleanup.unused': { scope: 'cleanup', description: 'select everything not in use', keys: ['a'] },
  'cleanup.delete': { scope: 'cleanup', description: 'delete the selection', keys: ['x'] },
  'cleanup.refresh': { scope: 'cleanup', description: 'read again (sizes)', keys: ['r'] },
  'merge.pick': {
    scope: 'merge',
    description: 'pick or skip the commit (in its diff: the file at the top)',
    keys: ['space'],
  },
  'merge.diff': { scope: 'merge', description: "show the commit's diff", keys: ['enter'] },
  'merge.squash': {
    scope: 'merge',
    description: 'squash the picked commits into one (edit the message)',
    keys: ['s'],
  },
  'merge.target': { scope: 'merge', description: 'land on the current branch or a new one', keys: ['b'] },
  'merge.land': { scope: 'merge', description: 'land the picked commits (asks first)', keys: ['l'] },
  'merge.collapse': { scope: 'merge', description: 'diff: collapse or expand the file', keys: ['c'] },
  'merge.next-file': { scope: 'merge', description: 'diff: next file', keys: ['n'] },
  'merge.previous-file': { scope: 'merge', description: 'diff: previous file', keys: ['p'] },
  'conflict.shell': {
    scope: 'merge-conflict',
    description: 'open a shell in the worktree to resolve the conflict',
    keys: ['o'],
  },
  'conflict.continue': { scope: 'merge-conflict', description: 'continue once it is resolved', keys: ['c'] },
  'conflict.skip': { scope: 'merge-conflict', description: 'skip the commit that conflicts', keys: ['s'] },
  'conflict.abort': { scope: 'merge-conflict', description: 'abort the merge (nothing lands)', keys: ['a'] },
} as const satisfies Record<string, CommandInfo>;

export type CommandId = keyof typeof COMMANDS;

/** Key names a binding may use besides single printable characters. */
export const NAMED_KEYS = [
  'up',
  'down',
  'left',
  'right',
  'enter',
  'escape',
  'tab',
  'backspace',
  'delete',
  'space',
  'pageup',
  'pagedown',
  'home',
  'end',
] as const;

export type KeyBindings = Record<CommandId, readonly string[]>;

export function defaultBindings(): KeyBindings {
  return Object.fromEntries(
    Object.entries(COMMANDS).map(([id, info]) => [id, info.keys]),
  ) as unknown as KeyBindings;
}

/** A key as written in a binding: `x`, `G`, `?`, `enter`, `ctrl+q`. */
export function isValidKey(key: string): boolean {
  const bare = key.startsWith('ctrl+') ? key.slice(5) : key;
  if ((NAMED_KEYS as readonly string[]).includes(bare)) return true;
  return [...bare].length === 1 && bare !== ' ';
}

/** The person's overrides on top of the defaults; problems name the setting that has them. */
export function applyOverrides(overrides: Record<string, unknown> | undefined): {
  bindings: KeyBindings;
  problems: string[];
} {
  const bindings = defaultBindings();
  const problems: string[] = [];
  for (const [id, value] of Object.entries(overrides ?? {})) {
    if (!(id in COMMANDS)) {
      problems.push(`keys.${id}: there is no such command (see the help overlay, ?, for their names)`);
      continue;
    }
    const keys = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string' && isValidKey(k))) {
      problems.push(`keys.${id}: expected a key or a list of keys like "j", "ctrl+x", "enter"`);
      continue;
    }
    bindings[id as CommandId] = keys;
  }
  return { bindings, problems };
}

/** What Ink reports for one key press (the fields we read). */
export interface InkKey {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** Ink's (input, key) as a key name in the form bindings use. */
export function keyName(input: string, key: InkKey): string | undefined {
  const named: [boolean | undefined, string][] = [
    [key.upArrow, 'up'],
    [key.downArrow, 'down'],
    [key.leftArrow, 'left'],
    [key.rightArrow, 'right'],
    [key.pageUp, 'pageup'],
    [key.pageDown, 'pagedown'],
    [key.home, 'home'],
    [key.end, 'end'],
    [key.return, 'enter'],
    [key.escape, 'escape'],
    [key.tab, 'tab'],
    [key.backspace, 'backspace'],
    [key.delete, 'delete'],
  ];
  const found = named.find(([pressed]) => pressed)?.[1];
  if (found) return found;
  if (input === ' ') return 'space';
  if (!input) return undefined;
  return key.ctrl ? `ctrl+${input.toLowerCase()}` : input;
}

/** The command bound to this key in this scope (a scope's own binding wins over a global one). */
export function commandFor(
  bindings: KeyBindings,
  scope: KeyScope,
  name: string | undefined,
): CommandId | undefined {
  if (!name) return undefined;
  const ids = Object.keys(bindings) as CommandId[];
  const bound = (id: CommandId) => bindings[id].includes(name);
  return (
    ids.find((id) => COMMANDS[id].scope === scope && bound(id)) ??
    ids.find((id) => COMMANDS[id].scope === 'global' && bound(id))
  );
}

const SCOPE_TITLES: Record<KeyScope, string> = {
  global: 'Everywhere',
  projects: 'Projects and sessions',
  allowlist: 'Allowlist',
  bridge: 'Networks, sidecars and bridge calls',
  policy: 'Policy review',
  cleanup: 'Cleanup',
  merge: 'Merging a session',
  'merge-conflict': 'Merge conflict',
};

/** The help overlay's text: for each scope, each command's keys and what it does. */
export function helpSections(
  bindings: KeyBindings,
): { title: string; rows: { keys: string; description: string }[] }[] {
  return (Object.keys(SCOPE_TITLES) as KeyScope[]).map((scope) => ({
    title: SCOPE_TITLES[scope],
    rows: (Object.keys(COMMANDS) as CommandId[])
      .filter((id) => COMMANDS[id].scope === scope)
      .map((id) => ({ keys: bindings[id].join(' '), description: COMMANDS[id].description })),
  }));
}

/** How far a list command moves the selection (or the view), or undefined for other commands. */
export function listStep(
  command: CommandId | undefined,
  page: number,
): number | 'top' | 'bottom' | undefined {
  switch (command) {
    case 'list.up':
      return -1;
    case 'list.down':
      return 1;
    case 'list.pageup':
      return -page;
    case 'list.pagedown':
      return page;
    case 'list.top':
      return 'top';
    case 'list.bottom':
      return 'bottom';
    default:
      return undefined;
  }
}

/** The first key bound to a command, for hints such as "s start". */
export function firstKey(bindings: KeyBindings, id: CommandId): string {
  return bindings[id][0] ?? '';
}
