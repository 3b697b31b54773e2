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
set -euo pipefail
workspace=${CLAUDE_TUI_WORKSPACE:-/workspace}
rules=${CLAUDE_TUI_SECRET_CHECK:-}
[ -n "$rules" ] || exit 0

# Six fields, each ended by a NUL: for shadow, expose and skip, the names (one a line), the paths.
mapfile -d '' -t field < <(jq -j '(.shadow, .expose, .skip) | (.names | join("\n")), (.paths // "") | . + "\u0000"' <<<"$rules")
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
while read -r _ _ _ _ point _; do
  printf -v point '%b' "$point"
  case $point in "$workspace"/*) ;; *) continue ;; esac
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
while IFS= read -r -d '' path; do
  [ -n "${mounted[$path]:-}" ] && continue
  if [ -L "$path" ]; then
    link_is_covered "$path" && continue
  elif [ -d "$path" ] && [ -n "${holds[$path]:-}" ]; then
    continue
  fi
  unshadowed+=("${path#"$workspace"/}")
done < <(find "$workspace" -mindepth 1 -regextype posix-extended \
  "${expose_test[@]}" -prune -o "${shadow_test[@]}" -print0 -false -o "${skip_test[@]}" -prune)

[ ${#unshadowed[@]} -eq 0 ] && exit 0
echo "claude-tui: ${#unshadowed[@]} secret-looking path(s) in the project are not shadowed (they appeared or moved since claude-tui up):"
printf '  %q\n' "${unshadowed[@]:0:10}"
[ ${#unshadowed[@]} -le 10 ] || echo "  and $((${#unshadowed[@]} - 10)) more"
echo 'claude-tui: the agent container does not start until claude-tui up shadows them.'
exit 78
