import type { FlagSpec } from './args.js';
import type { CommandContext } from './context.js';

/** A command returns its exit code (0 when it returns nothing). */
export type CommandHandler = (ctx: CommandContext) => Promise<number | void>;

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  flags: FlagSpec[];
  /** Loaded only when the command runs, so each command pays only for what it uses. */
  load: () => Promise<CommandHandler>;
}

const json: FlagSpec = { name: 'json', description: 'print the result as JSON' };
const yes: FlagSpec = {
  name: 'yes',
  description: "approve the project's policy files as they are now (a change made outside claude-tui)",
};
const projectFlag: FlagSpec = {
  name: 'project',
  value: true,
  description: 'the project directory (default: .)',
};

export const commands: CommandSpec[] = [
  {
    name: 'up',
    usage: 'up [DIR] [--yes]',
    summary: "create or start the project's gateway and agent containers (builds the image when needed)",
    flags: [json, yes],
    load: async () => (await import('./commands/up.js')).upCommand,
  },
  {
    name: 'down',
    usage: 'down [DIR]',
    summary: "stop and remove the project's containers and network; volumes are kept",
    flags: [json],
    load: async () => (await import('./commands/down.js')).downCommand,
  },
  {
    name: 'compose',
    usage: 'compose [DIR] [--output FILE]',
    summary:
      "print (or write to FILE, never inside the project) a compose file with the project's gateway and agent as `up` makes them from the approved policy",
    flags: [
      {
        name: 'output',
        value: true,
        description: 'write the file here instead of stdout (refused inside a folder the agent can write)',
      },
    ],
    load: async () => (await import('./commands/compose.js')).composeCommand,
  },
  {
    name: 'ls',
    usage: 'ls',
    summary: 'list projects and the state of their containers',
    flags: [json],
    load: async () => (await import('./commands/list.js')).listCommand,
  },
  {
    name: 'status',
    usage: 'status [DIR]',
    summary: "show one project's containers, firewall and volumes",
    flags: [json],
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  {
    name: 'allow',
    usage: 'allow ls|apply|approve|refused [DIR] | allow add|rm ENTRY... [--project DIR]',
    summary:
      "show and edit the project's egress allowlist, apply it to the running gateway at once, approve outside edits, list refused traffic",
    flags: [json, yes, projectFlag],
    load: async () => (await import('./commands/allow.js')).allowCommand,
  },
  {
    name: 'approve',
    usage: 'approve [DIR] [--yes]',
    summary:
      "review a change to the project's policy files (config, allowlists, bridge, the files they name), approve it and apply it",
    flags: [json, { name: 'yes', description: 'approve without asking (the change is still printed)' }],
    load: async () => (await import('./commands/approve.js')).approveCommand,
  },
  {
    name: 'start',
    usage: 'start [DIR] [--name NAME] [--git [--from REF] [--include-changes]] [-- AGENT ARGS...]',
    summary: 'start an agent session (a tmux session in the agent container) that keeps running on its own',
    flags: [
      json,
      { name: 'name', value: true, description: 'the session name (default s1, s2, ...)' },
      {
        name: 'git',
        description: 'work on a clone of the repository in a volume of its own (the folder is not mounted)',
      },
      {
        name: 'from',
        value: true,
        description: 'git sessions: the branch, tag or commit to start from (default HEAD)',
      },
      {
        name: 'include-changes',
        description: "git sessions: carry the folder's uncommitted changes over as the first commit",
      },
      projectFlag,
    ],
    load: async () => (await import('./commands/sessions.js')).startCommand,
  },
  {
    name: 'run',
    usage:
      'run [DIR] [--name NAME] [--git [--from REF] [--include-changes]] [--token-stdin | --from-env] [--json] -- AGENT ARGS...',
    summary:
      "run an agent session to its end with no terminal needed (CI): prints its transcript as text and exits with the agent's exit code",
    flags: [
      json,
      { name: 'name', value: true, description: 'the session name (default s1, s2, ...)' },
      {
        name: 'git',
        description: 'work on a clone of the repository in a volume of its own; the clone stays afterwards',
      },
      {
        name: 'from',
        value: true,
        description: 'git sessions: the branch, tag or commit to start from (default HEAD)',
      },
      {
        name: 'include-changes',
        description: "git sessions: carry the folder's uncommitted changes over as the first commit",
      },
      { name: 'token-stdin', description: "Claude's token for this run only, read from stdin (not stored)" },
      {
        name: 'from-env',
        description:
          "Claude's token for this run only, from CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_API_KEY (not stored)",
      },
    ],
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  {
    name: 'log',
    usage: 'log NAME [--json] [--project DIR]',
    summary:
      "list a git session's commits since it started (time, files, +/-, marks), brought over from its clone",
    flags: [json, projectFlag],
    load: async () => (await import('./commands/git-sessions.js')).logCommand,
  },
  {
    name: 'diff',
    usage: 'diff NAME [REV] [--project DIR]',
    summary: "show a git session's changes: one commit (a hash prefix or its position, 1 = oldest) or all",
    flags: [projectFlag],
    load: async () => (await import('./commands/git-sessions.js')).diffCommand,
  },
  {
    name: 'merge',
    usage:
      'merge NAME [--all | --pick A,B] [--files F,G] [--squash -m MSG] [--onto BRANCH | --branch NEW] [--dry-run] [--continue | --skip | --abort]',
    summary:
      "land a git session's picked commits on your branch; your working tree is untouched until the end, and exactly as before after an abort",
    flags: [
      json,
      { name: 'all', description: 'every commit not yet applied' },
      {
        name: 'pick',
        value: true,
        description: 'these commits (hash prefixes or positions, comma-separated)',
      },
      {
        name: 'files',
        value: true,
        description: 'only these files of the picked commits (comma-separated paths)',
      },
      { name: 'squash', description: 'one commit for all picks' },
      { name: 'message', short: 'm', value: true, description: 'the squashed commit message' },
      {
        name: 'onto',
        value: true,
        description: 'an existing branch to land on (default: the current branch)',
      },
      { name: 'branch', value: true, description: 'a new branch to land on, made from the current one' },
      { name: 'dry-run', description: 'check everything, change nothing' },
      { name: 'continue', description: 'go on after resolving a conflict' },
      { name: 'skip', description: 'leave out the commit that conflicted and go on' },
      { name: 'abort', description: 'give up the merge; your repository stays as it was' },
      { name: 'yes', description: 'merge commits that touch files that run on the host without asking' },
      projectFlag,
    ],
    load: async () => (await import('./commands/git-sessions.js')).mergeCommand,
  },
  {
    name: 'sessions',
    usage: 'sessions [DIR]',
    summary: 'list the sessions with their state (working, waiting, idle, exited), age and last output',
    flags: [json],
    load: async () => (await import('./commands/sessions.js')).sessionsCommand,
  },
  {
    name: 'attach',
    usage: 'attach NAME [--project DIR]',
    summary: 'take over the terminal to work with a session; Ctrl+Q detaches and leaves it running',
    flags: [projectFlag],
    load: async () => (await import('./commands/attach.js')).attachCommand,
  },
  {
    name: 'peek',
    usage: 'peek NAME [--project DIR]',
    summary: "print a session's current screen as text",
    flags: [projectFlag],
    load: async () => (await import('./commands/sessions.js')).peekCommand,
  },
  {
    name: 'logs',
    usage: 'logs NAME [--raw] [--project DIR]',
    summary: "print a session's transcript as the text it showed (everything the agent printed)",
    flags: [
      { name: 'raw', description: 'print the bytes as recorded, terminal control sequences and all' },
      projectFlag,
    ],
    load: async () => (await import('./commands/sessions.js')).logsCommand,
  },
  {
    name: 'stop',
    usage: 'stop NAME [--project DIR]',
    summary: 'stop a session (ends the agent)',
    flags: [projectFlag],
    load: async () => (await import('./commands/sessions.js')).stopCommand,
  },
  {
    name: 'watch',
    usage: 'watch [DIR]',
    summary: 'follow the sessions’ states and notify when one waits for you or is done',
    flags: [{ name: 'background', description: 'run as the background notifier (started by `start`)' }],
    load: async () => (await import('./commands/watch.js')).watchCommand,
  },
  {
    name: 'ssh-relay',
    usage: 'ssh-relay [DIR]',
    summary: "lend your SSH agent to the project's agent (started by `up` when ssh.agent is on)",
    flags: [],
    load: async () => (await import('./commands/ssh-relay.js')).sshRelayCommand,
  },
  {
    name: 'bridge-relay',
    usage: 'bridge-relay [DIR]',
    summary: "serve the project's command bridge to its agent (started by `up` when bridge.yaml is approved)",
    flags: [],
    load: async () => (await import('./commands/bridge-relay.js')).bridgeRelayCommand,
  },
  {
    name: 'shell',
    usage: 'shell [DIR]',
    summary: 'open a shell as `claude` in /workspace of the agent container',
    flags: [],
    load: async () => (await import('./commands/exec.js')).shellCommand,
  },
  {
    name: 'exec',
    usage: 'exec [DIR] -- COMMAND [ARGS...]',
    summary: 'run one command as `claude` in /workspace; exits with its exit code',
    flags: [],
    load: async () => (await import('./commands/exec.js')).execCommand,
  },
  {
    name: 'build',
    usage: 'build [DIR] [--rebuild]',
    summary: "build the project's agent image (only when its inputs changed, unless --rebuild)",
    flags: [json, { name: 'rebuild', description: 'build even when an image with the same inputs exists' }],
    load: async () => (await import('./commands/build.js')).buildCommand,
  },
  {
    name: 'doctor',
    usage: 'doctor [DIR]',
    summary: 'check Docker, its socket and API version, and the image, and say what to fix',
    flags: [json],
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
  {
    name: 'login',
    usage: 'login [--project DIR] [--token-stdin | --from-env] [--github]',
    summary:
      'log the agent in once for all projects (or one project): `claude setup-token` in a short-lived container, or a token piped in',
    flags: [
      {
        name: 'project',
        value: true,
        description: "this project's own credential instead of the shared one",
      },
      { name: 'token-stdin', description: 'read the token from stdin (for scripts and CI)' },
      {
        name: 'from-env',
        description:
          'take CLAUDE_CODE_OAUTH_TOKEN or ANTHROPIC_API_KEY (GH_TOKEN with --github) from this environment',
      },
      { name: 'github', description: 'a GitHub token for gh in the sessions (opt-in), instead of Claude' },
    ],
    load: async () => (await import('./commands/auth.js')).loginCommand,
  },
  {
    name: 'logout',
    usage: 'logout [--project DIR] [--github]',
    summary: "forget the stored credential (the shared one, or one project's own)",
    flags: [
      { name: 'project', value: true, description: "this project's own credential" },
      { name: 'github', description: 'the GitHub token instead of Claude' },
    ],
    load: async () => (await import('./commands/auth.js')).logoutCommand,
  },
  {
    name: 'whoami',
    usage: 'whoami [--project DIR] [--json]',
    summary: 'which credential new sessions get, where it came from, masked',
    flags: [
      json,
      {
        name: 'project',
        value: true,
        description: 'the project whose sessions to ask about (default: the shared one)',
      },
    ],
    load: async () => (await import('./commands/auth.js')).whoamiCommand,
  },
  {
    name: 'volumes',
    usage: 'volumes',
    summary: 'list the volumes claude-tui made: project, size, use, unmerged commits',
    flags: [json],
    load: async () => (await import('./commands/volumes.js')).volumesCommand,
  },
  {
    name: 'rm-volume',
    usage: 'rm-volume NAME [--yes] [--discard-unmerged]',
    summary: 'delete one volume claude-tui made (asks first)',
    flags: [
      { name: 'yes', description: 'delete without asking' },
      {
        name: 'discard-unmerged',
        description: 'delete a git-session volume even with commits never merged back',
      },
    ],
    load: async () => (await import('./commands/volumes.js')).rmVolumeCommand,
  },
  {
    name: 'cleanup',
    usage: 'cleanup [--dry-run] [--yes] [--discard-unmerged] [--project DIR]',
    summary: 'delete what claude-tui made that nothing uses (keeps the newest image); shows the plan first',
    flags: [
      json,
      { name: 'dry-run', description: 'show what would be deleted and delete nothing' },
      { name: 'yes', description: 'delete without asking' },
      {
        name: 'discard-unmerged',
        description: 'also delete git-session volumes with commits never merged back',
      },
      { name: 'project', value: true, description: "only this project's containers, volumes and networks" },
    ],
    load: async () => (await import('./commands/cleanup.js')).cleanupCommand,
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}
