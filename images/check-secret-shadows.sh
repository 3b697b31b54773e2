#!/bin/bash
# Run by the agent container's entrypoint, as root, on every start (Docker's own restarts too),
# before anything of the agent's runs. claude-tui shadows the project's secret files with mounts
# it decides at `up`, and a restart replays those mounts at the same paths. A secret moved since
# (its folder renamed, say) would be readable at its new path, so the container refuses to start
# until `claude-tui up` shadows it there.
#
# The rules come from claude-tui in CLAUDE_TUI_SECRET_CHECK, as regular expressions over paths
# relative to the workspace, written to mean the same here (GNU find, bash) as on the host.
set -euo pipefail
workspace=/workspace
rules=${CLAUDE_TUI_SECRET_CHECK:-}
[ -n "$rules" ] || exit 0
shadow=$(jq -r '.shadow' <<<"$rules")
expose=$(jq -r '.expose // empty' <<<"$rules")
skip=$(jq -r '.skip' <<<"$rules")

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

exposed() { [ -n "$expose" ] && [[ $1 =~ ^($expose)(/[^/]+)*$ ]]; }

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

find_args=(find "$workspace" -mindepth 1 -regextype posix-extended)
if [ -n "$expose" ]; then find_args+=('(' -regex "$workspace/($expose)" -prune ')' -o); fi
find_args+=('(' -regex "$workspace/($shadow)" -print0 -false ')' -o '(' -regex "$workspace/($skip)" -prune ')')

unshadowed=()
while IFS= read -r -d '' path; do
  [ -n "${mounted[$path]:-}" ] && continue
  if [ -L "$path" ]; then
    link_is_covered "$path" && continue
  elif [ -d "$path" ] && [ -n "${holds[$path]:-}" ]; then
    continue
  fi
  unshadowed+=("${path#"$workspace"/}")
done < <("${find_args[@]}")

[ ${#unshadowed[@]} -eq 0 ] && exit 0
echo "claude-tui: ${#unshadowed[@]} secret-looking path(s) in the project are not shadowed (they appeared or moved since claude-tui up):"
printf '  %q\n' "${unshadowed[@]:0:10}"
[ ${#unshadowed[@]} -le 10 ] || echo "  and $((${#unshadowed[@]} - 10)) more"
echo 'claude-tui: the agent container does not start until claude-tui up shadows them.'
exit 78
