#!/bin/bash
# Run by the agent container's entrypoint, as root, on every start (Docker's own restarts too),
# before anything of the agent's runs. Some bind mounts (the read-only policy files and the paths
# that run on the host, extra mounts) come from inside a folder the agent can write. Docker
# resolves their source paths on the host again at every start, and by then the agent may have
# renamed a folder above one and put a link where it was: Docker would mount what the link leads
# to on the host. So each such mount must show exactly what lies at its path inside the writable
# mount it comes from (the same file system, that mount's root plus the path below it), as the
# kernel reports both in /proc/self/mountinfo; otherwise the container refuses to start.
#
# CLAUDE_TUI_PINNED_MOUNTS (see src/project/pinned-mounts.ts): a line per mount, "TARGET BASE
# BELOW", each field escaped as mountinfo escapes paths.
set -euo pipefail
pins=${CLAUDE_TUI_PINNED_MOUNTS:-}
[ -n "$pins" ] || exit 0

# The last mount at a place is the one that shows there.
declare -A device=() root=()
while read -r _ _ number at point _; do
  printf -v point '%b' "$point"
  printf -v at '%b' "$at"
  device[$point]=$number
  root[$point]=$at
done </proc/self/mountinfo

wrong=()
while read -r target base below; do
  printf -v target '%b' "$target"
  printf -v base '%b' "$base"
  printf -v below '%b' "$below"
  if [ -z "${root[$base]+set}" ]; then
    wrong+=("$target: what it comes from, $base, is not mounted")
  elif [ -z "${root[$target]+set}" ]; then
    wrong+=("$target: not mounted there (a link on the way led the mount elsewhere)")
  elif [ "${device[$target]}" != "${device[$base]}" ] || [ "${root[$target]}" != "${root[$base]%/}/$below" ]; then
    wrong+=("$target: shows ${root[$target]} (device ${device[$target]}), not $base/$below (a link on the way on the host)")
  fi
done <<<"$pins"

if [ ${#wrong[@]} -gt 0 ]; then
  echo "claude-tui: ${#wrong[@]} protected mount(s) do not show what claude-tui up mounted (changed since, while the container was stopped):"
  printf '  %s\n' "${wrong[@]}"
  echo 'claude-tui: the agent container does not start until claude-tui up checks them again (put back on the host what was moved).'
  exit 78
fi
exit 0
