import { posix } from 'node:path';
import type { BridgePolicy, BridgeTarget } from '../config/bridge-policy.js';
import { namesRoot, refusedEnvName } from '../config/bridge-rules.js';
import type { BridgeRequest } from './request.js';

/**
 * What the relay runs for a request, decided from the approved policy alone: the command's name
 * picks an entry of the map, and everything Docker is told (container, executable, user, folder,
 * environment names) comes from that entry. The request adds only arguments (as argv, never
 * through a shell's parsing), values for allowlisted variables, a folder below the approved one
 * and a terminal.
 */
export interface PlannedCall {
  command: string;
  target: BridgeTarget;
  /** The argv Docker runs: the pid-reporting shell (see SHELL_SCRIPT), then exec and args. */
  argv: string[];
  user: string;
  /** The approved folder; the caller's sub-folder is entered by the shell (see SHELL_SCRIPT). */
  workingDir: string | undefined;
  env: string[];
  tty: { rows: number; cols: number } | undefined;
}

export type Planned = { call: PlannedCall } | { refused: string };

/** The first line the shell writes: its pid, which is the command's once it execs. */
export const PID_MARK = 'claude-tui-bridge-pid ';

/** The shell of the sidecar, by path: never a `sh` found on a PATH. */
export const SIDECAR_SHELL = '/bin/sh';

/**
 * Docker has no call to signal an exec's process, so the command starts under a shell that says
 * its pid first (on stderr, or on the terminal when there is one; the relay takes that line
 * off), sets the terminal's size, enters the caller's sub-folder (links resolved, and refused if
 * that leaves the workdir), refuses to go on with any id of root's (read by builtins from
 * /proc/self/status: real, effective, saved and filesystem uid and gid, and the supplementary
 * groups; unreadable counts as root), exports the agent's allowlisted values only then, and
 * becomes the command (`exec`: the same pid, no shell left in between). Until that export the
 * shell has the container's own environment: nothing the agent sends steers the checks. Its
 * arguments are "$@", never text of the agent's in the script.
 *   $1 where the pid goes (1 or 2)   $2 rows, $3 cols ("" without a terminal)
 *   $4 the sub-folder ("" for none)  then NAME=value arguments up to "--", then exec and args
 */
const SHELL_SCRIPT = [
  `printf '${PID_MARK}%s\\n' "$$" >&"$1"`,
  '[ -z "$2" ] || stty rows "$2" cols "$3" 2>/dev/null',
  '[ -z "$4" ] || {',
  '  cd -P . && top=$PWD && cd -P -- "$4" 2>/dev/null || { printf "claude-tui bridge: no folder %s/%s in this container\\n" "$PWD" "$4" >&2; exit 125; }',
  '  case $PWD/ in "${top%/}"/*) ;; *) printf "claude-tui bridge: refused: %s leads outside %s\\n" "$4" "$top" >&2; exit 126 ;; esac',
  '}',
  'ids=0 root=',
  'while read -r key a b c d more; do',
  '  case $key in',
  '    Uid:|Gid:) ids=$((ids + 1)); for id in "$a" "$b" "$c" "$d"; do case $id in [1-9]*) ;; *) root=1 ;; esac; done ;;',
  '    Groups:) case " $a $b $c $d $more " in *" 0 "*) root=1 ;; esac ;;',
  '  esac',
  'done </proc/self/status',
  '[ "$ids" = 2 ] && [ -z "$root" ] || { echo "claude-tui bridge: refused to run as root (uid or gid 0, or ids unreadable)" >&2; exit 126; }',
  'shift 4',
  'while [ "$1" != -- ]; do export "$1"; shift; done',
  'shift',
  'exec "$@"',
].join('\n');

const NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function planCall(
  policy: BridgePolicy | undefined,
  request: BridgeRequest,
  defaultUser: string,
): Planned {
  const name = request.command;
  if (!NAME.test(name)) return { refused: `"${printable(name)}" is not a command name` };
  if (!policy) return { refused: 'no bridge is approved for this project' };
  if (!Object.hasOwn(policy.commands, name)) {
    return { refused: `${name} is not a command of the approved bridge.yaml` };
  }
  const entry = policy.commands[name]!;
  if (!Object.hasOwn(policy.containers, entry.container)) {
    return { refused: `${name} names the container ${entry.container}, which bridge.yaml does not define` };
  }
  const user = entry.user ?? defaultUser;
  if (!/^[^:]+(:[^:]+)?$/.test(user) || namesRoot(user)) {
    return { refused: `${name} would run as root (${user}: uid or gid 0); the bridge never does` };
  }
  const unsafeName = entry.env.find((key) => !ENV_NAME.test(key) || refusedEnvName(key));
  if (unsafeName !== undefined) {
    return { refused: `${name} passes on ${printable(unsafeName)}, which the bridge never does` };
  }
  const workingDir = entry.workdir;
  if (workingDir !== undefined && !isPlainAbsolute(workingDir)) {
    return { refused: `${name}'s workdir ${workingDir} is not a plain absolute path` };
  }
  const subFolder = workingDir === undefined ? '' : belowWorkspace(request.cwd);
  if (subFolder === undefined) return { refused: 'the caller’s folder leads outside the workspace' };
  const tty = request.tty ? { rows: request.tty.rows, cols: request.tty.cols } : undefined;
  const shellArgs = [tty ? '1' : '2', tty ? String(tty.rows) : '', tty ? String(tty.cols) : '', subFolder];
  const values = entry.env.filter((key) => key in request.env).map((key) => `${key}=${request.env[key]}`);
  return {
    call: {
      command: name,
      target: policy.containers[entry.container]!,
      argv: [
        SIDECAR_SHELL,
        '-c',
        SHELL_SCRIPT,
        'claude-tui-bridge',
        ...shellArgs,
        ...values,
        '--',
        entry.exec,
        ...request.args,
      ],
      user,
      workingDir,
      // The agent's values travel as arguments (above), exported after the checks: only the
      // terminal's type, a checked word, is in the shell's own environment.
      env: request.tty ? [`TERM=${request.tty.term}`] : [],
      tty,
    },
  };
}

function isPlainAbsolute(path: string): boolean {
  return posix.isAbsolute(path) && !path.split('/').includes('..') && !path.includes('\0');
}

/**
 * The caller's folder, relative to the top of the workspace, as a path that stays below the
 * approved workdir: "" when it is not given, undefined when it would climb out.
 */
export function belowWorkspace(cwd: string | undefined): string | undefined {
  if (cwd === undefined || cwd === '' || cwd === '.') return '';
  if (cwd.length > 4096 || posix.isAbsolute(cwd)) return undefined;
  const normal = posix.normalize(cwd);
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '.' ? '' : normal.replace(/\/$/, '');
}

/** A name the agent sent, safe to show: no control characters, not too long. */
export function printable(text: string, max = 64): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
