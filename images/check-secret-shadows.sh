#!/bin/bash
# Run by the agent container's entrypoint, as root, on every start (Docker's own restarts too),
# before anything of the agent's runs. claude-tui shadows the project's secret files with mounts
# it decides at `up`, and a restart replays those mounts at the same paths. A secret moved since
# (its folder renamed, say), or one put there while the container was stopped, would be readable,
# so the container refuses to start until `claude-tui up` shadows it.
#
# The rules come from claude-tui in CLAUDE_TUI_SECRET_CHECK (see src/project/secret-patterns.ts):
# for shadow, expose and skip, globs on a single name and a regular expression over paths
# relative to the workspace, written to mean the same here (GNU find, bash) as on the host.
#
# Names are not enough: a folder renamed into one the name search skips (node_modules), or a
# hard link, shows a secret under a name no rule matches. So `up` also records the inode of each
# shadow (src/project/secret-inodes.ts), and the whole workspace is searched for them, nothing
# skipped: a secret's inode must never be visible. Each recorded shadow must be a mount point
# where it was made (a link the agent put above it would have Docker mount it elsewhere).
set -euo pipefail
workspace=${CLAUDE_TUI_WORKSPACE:-/workspace}
rules=${CLAUDE_TUI_SECRET_CHECK:-}
record_file=${CLAUDE_TUI_SECRET_INODES:-/etc/claude-tui/secret-inodes.json}
[ -n "$rules" ] || exit 0

# Says why, lists the first ten lines given, and stops the start.
refuse() {
  echo "claude-tui: $1"
  shift
  printf '  %s\n' "${@:1:10}"
  [ $# -le 10 ] || echo "  and $(($# - 10)) more"
  echo 'claude-tui: the agent container does not start until claude-tui up shadows them.'
  exit 78
}

# One jq for both inputs (each run costs tens of milliseconds). Out come six fields for the rules
# (for shadow, expose and skip: the names, one a line, and the paths), then from the record "ok"
# and the workspace's inode, then an inode and a path per shadow; each ended by a NUL. An
# unreadable record gives no "ok". The record comes on stdin: it may be longer than an argument.
mapfile -d '' -t field < <(cat -- "$record_file" 2>/dev/null | jq -R -s -j --argjson rules "$rules" '
  . as $record
  | ($rules | (.shadow, .expose, .skip) | (.names | join("\n")), (.paths // "") | . + "\u0000"),
    ($record | try fromjson catch null | select((.root | numbers) and (.shadows | arrays))
      | "ok\u0000\(.root)\u0000", (.shadows[] | "\(.inode)\u0000\(.path)\u0000"))')
mapfile -t shadow_names <<<"${field[0]}"
shadow_paths=${field[1]}
mapfile -t expose_names <<<"${field[2]}"
expose_paths=${field[3]}
mapfile -t skip_names <<<"${field[4]}"
skip_paths=${field[5]}

# A find test true for any of the names (after the paths) or the paths; false when there are none.
any_of() {
  local paths=$1 name test=('(' -false)
  shift
  for name in "$@"; do [ -n "$name" ] && test+=(-o -name "$name"); done
  [ -n "$paths" ] && test+=(-o -regex "$workspace/($paths)")
  test+=(')')
  printf '%s\0' "${test[@]}"
}

# Every mount point in the workspace, and every folder above one (claude-tui never shadows a
# folder holding another mount: the policy files, the folders that run on the host).
declare -A mounted=() holds=()
stray=()
while read -r _ _ _ root point _; do
  printf -v point '%b' "$point"
  printf -v root '%b' "$root"
  case $point in
    "$workspace"/*) ;;
    *)
      # The empty file mounted anywhere else: led there by a link (the state folder's name for it).
      printf -v quoted %q "$point"
      case $root in */secret-shadow) stray+=("$quoted") ;; esac
      continue
      ;;
  esac
  mounted[$point]=1
  parent=${point%/*}
  while [ "$parent" != "$workspace" ]; do
    holds[$parent]=1
    parent=${parent%/*}
  done
done </proc/self/mountinfo

exposed() {
  local rel=$1 name
  if [ -n "$expose_paths" ] && [[ $rel =~ ^($expose_paths)(/[^/]+)*$ ]]; then return 0; fi
  local parts part
  IFS=/ read -ra parts <<<"$rel"
  for part in "${parts[@]}"; do
    for name in "${expose_names[@]}"; do
      # shellcheck disable=SC2053 # the name is a glob
      [ -n "$name" ] && [[ $part == $name ]] && return 0
    done
  done
  return 1
}

under_mount() {
  local parent=${1%/*}
  while [ "$parent" != "$workspace" ]; do
    [ -n "${mounted[$parent]:-}" ] && return 0
    parent=${parent%/*}
  done
  return 1
}

# A link is never mounted over; what it leads to must be shadowed, exposed or not in the project.
link_is_covered() {
  local target
  target=$(readlink -f -- "$1") || return 0
  case $target in "$workspace"/*) ;; *) return 0 ;; esac
  [ -e "$target" ] || return 0
  [ -n "${mounted[$target]:-}" ] || [ -n "${holds[$target]:-}" ] || under_mount "$target" ||
    exposed "${target#"$workspace"/}"
}

mapfile -d '' -t expose_test < <(any_of "$expose_paths" "${expose_names[@]}")
mapfile -d '' -t shadow_test < <(any_of "$shadow_paths" "${shadow_names[@]}")
mapfile -d '' -t skip_test < <(any_of "$skip_paths" "${skip_names[@]}")

unshadowed=()
virtualenvs=()
while IFS= read -r -d '' path; do
  for venv in "${virtualenvs[@]}"; do [[ $path == "$venv"/* ]] && continue 2; done
  [ -n "${mounted[$path]:-}" ] && continue
  if [ -L "$path" ]; then
    link_is_covered "$path" && continue
  elif [ -d "$path" ] && [ -n "${holds[$path]:-}" ]; then
    continue
  elif [ -d "$path" ] && [ -f "$path/pyvenv.cfg" ] && [ ! -L "$path/pyvenv.cfg" ]; then
    # A Python virtualenv named like a secret (.env): neither shadowed nor searched, as on the host.
    virtualenvs+=("$path")
    continue
  fi
  printf -v quoted %q "${path#"$workspace"/}"
  unshadowed+=("$quoted")
done < <(find "$workspace" -mindepth 1 -regextype posix-extended \
  "${expose_test[@]}" -prune -o "${shadow_test[@]}" -print0 -false -o "${skip_test[@]}" -prune)

[ ${#unshadowed[@]} -eq 0 ] ||
  refuse "${#unshadowed[@]} secret-looking path(s) in the project are not shadowed (they appeared or moved since claude-tui up):" "${unshadowed[@]}"

if [ "${field[6]:-}" != ok ]; then
  echo "claude-tui: the record of shadowed files ($record_file) cannot be read."
  echo 'claude-tui: the agent container does not start until claude-tui up writes it.'
  exit 78
fi
record_fields=("${field[@]:7}")

# Inode numbers are the host's only where /workspace has the project folder's own (a bind mount on
# Linux); a file share that numbers anew (as a VM's may) has others.
if [ "$(stat -c %i "$workspace")" != "${record_fields[0]}" ]; then
  echo "claude-tui: the workspace's inode numbers are not the host's here: shadows checked by name only."
  exit 0
fi
declare -A origin=()
missing=()
find_inodes=('(' -false)
for ((i = 1; i + 1 < ${#record_fields[@]}; i += 2)); do
  inode=${record_fields[i]} path=${record_fields[i + 1]}
  origin[$inode]=$path
  find_inodes+=(-o -inum "$inode")
  printf -v quoted %q "$path"
  [ -n "${mounted[$workspace/$path]:-}" ] || missing+=("$quoted")
done
find_inodes+=(')')
[ $((${#missing[@]} + ${#stray[@]})) -eq 0 ] ||
  refuse 'shadow mount(s) not where claude-tui up made them (a folder above moved, or a link put there):' "${missing[@]}" "${stray[@]}"

# The whole workspace, on its own filesystem (a secret cannot be renamed or linked off it; the
# shadows' own tmpfs and other file systems are not entered, and their entries are told by device).
device=$(stat -c %d "$workspace")
visible=()
[ ${#origin[@]} -gt 0 ] || exit 0
while IFS= read -r -d '' hit; do
  hit_device=${hit%% *} hit=${hit#* }
  inode=${hit%% *} path=${hit#* }
  # find matches -inum on the directory's entry, which names the file a mount covers: what counts
  # is what stat sees there (a mount point shows the mount's own file).
  if [ "$hit_device" != "$device" ] || [ -z "${origin[$inode]:-}" ]; then continue; fi
  printf -v quoted '%q (shadowed as %q)' "${path#"$workspace"/}" "${origin[$inode]}"
  visible+=("$quoted")
done < <(find "$workspace" -xdev "${find_inodes[@]}" -printf '%D %i %p\0')
[ ${#visible[@]} -eq 0 ] ||
  refuse 'shadowed secret(s) readable under another path (moved since claude-tui up, or another name of it):' "${visible[@]}"
exit 0
