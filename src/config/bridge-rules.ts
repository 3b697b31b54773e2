/**
 * The bridge's rules on users and environment names, shared by the schema (a bridge.yaml breaking
 * them is refused with its line) and the relay (which checks the approved policy again before it
 * runs anything). No zod here: the relay loads this at every call.
 */

/** root by name or id, as the user or as the group: the bridge runs nothing with root's rights. */
export function namesRoot(user: string): boolean {
  return user.split(':').some((part) => part === 'root' || /^0+$/.test(part));
}

/**
 * Names a command's `env` may not pass on, with why. The values are the agent's, so a name that
 * changes which program runs (PATH), what a shell or the dynamic loader does before the program's
 * own code (LD_*, ENV, BASH_ENV, IFS, exported bash functions), or that a shell holds read-only
 * (so that setting it ends the shell) is never theirs to choose.
 */
const REFUSED_ENV: [RegExp, string][] = [
  [/^PATH$/, 'it would choose which program the approved exec names'],
  [/^LD_/, 'it would load code of the agent’s choosing into the program'],
  [/^BASH_FUNC_/, 'it would define shell functions'],
  [
    /^(ENV|BASH_ENV|IFS|CDPATH|SHELLOPTS|BASHOPTS|GLOBIGNORE|PS4)$/,
    'it changes what a shell does before the program runs',
  ],
  [/^(UID|EUID|PPID|GROUPS)$/, 'a shell holds it read-only'],
];

/** Why `name` may not be passed on, or undefined when it may. */
export function refusedEnvName(name: string): string | undefined {
  return REFUSED_ENV.find(([pattern]) => pattern.test(name))?.[1];
}
