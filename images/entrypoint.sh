#!/bin/bash
# PID 1's child (under tini). Runs as root only long enough to set the container up, then sleeps
# as an unprivileged user; sessions arrive later through `docker exec`.
set -euo pipefail
role=${1:-agent}
state_dir=/run/claude-tui

log() { printf 'claude-tui-entrypoint[%s]: %s\n' "$role" "$*"; }

# Map the `claude` user onto the host user's UID/GID, so that what the agent writes in /workspace
# stays editable on the host. Root (0) is never taken: the agent must not be root by accident.
remap_claude_user() {
  local want_uid=${HOST_UID:-} want_gid=${HOST_GID:-}
  if [ "$want_uid" = 60053 ]; then
    log "uid 60053 is the gateway resolver's; the agent cannot run as it"; exit 64
  fi
  if [ -n "$want_gid" ] && [ "$want_gid" != 0 ] && [ "$(id -g claude)" != "$want_gid" ]; then
    groupmod --non-unique --gid "$want_gid" claude
    log "claude group is now gid $want_gid"
  fi
  if [ -n "$want_uid" ] && [ "$want_uid" != 0 ] && [ "$(id -u claude)" != "$want_uid" ]; then
    usermod --non-unique --uid "$want_uid" claude
    log "claude user is now uid $want_uid"
  fi
}

# The home volume outlives containers and may have been written under another UID.
prepare_home() {
  local home=/home/claude uid gid
  uid=$(id -u claude); gid=$(id -g claude)
  if [ "$(stat -c %u:%g "$home")" != "$uid:$gid" ]; then
    chown -R "$uid:$gid" "$home"
  fi
  for dir in .claude .cache .npm .config .local/state .local/bin; do
    if [ ! -d "$home/$dir" ]; then
      install -d -o "$uid" -g "$gid" -m 0700 "$home/$dir"
    fi
  done
  install -d -o "$uid" -g "$gid" -m 0755 "$state_dir"
  # A git session's clone is a volume of its own, made empty by Docker and owned by root: only its
  # top folder needs to become the agent's (what is below it, the agent wrote).
  local clone=${CLAUDE_TUI_GIT_WORKDIR:-}
  if [ -n "$clone" ] && [ -d "$clone" ] && [ "$(stat -c %u:%g "$clone")" != "$uid:$gid" ]; then
    chown "$uid:$gid" "$clone"
  fi
  # A git session's container starting anew has no tmux: a session it ran has ended, and says so
  # (the project's agent container, which lists it, cannot ask this container's tmux).
  local session_dir=$home/.claude-tui/sessions/${CLAUDE_TUI_GIT_SESSION:-}
  if [ -n "${CLAUDE_TUI_GIT_SESSION:-}" ] && [ -d "$session_dir" ] && [ ! -e "$session_dir/exit-code" ]; then
    # As the agent's user: the home is the agent's to write, and root follows no link of its there.
    setpriv --reuid="$uid" --regid="$gid" --clear-groups touch "$session_dir/ended" || true
  fi
}

# Docker Desktop's forwarded SSH agent socket is root's inside, and the agent runs as claude: it
# becomes claude's, its mode unchanged, so no one else gains it. Only a real socket at our own
# path is taken; its folder is root's (nothing of the agent's can be there), and chown -h would
# change a link itself, never what it leads to. Linux's relay socket is the agent's already.
hand_over_ssh_agent() {
  local sock=/run/host-services/ssh-auth.sock
  [ "${CLAUDE_TUI_SSH_AGENT_CHOWN:-}" = 1 ] || return 0
  if [ -S "$sock" ] && [ ! -L "$sock" ]; then
    chown -h "$(id -u claude):$(id -g claude)" "$sock"
  else
    log "no SSH agent socket at $sock; the agent has none"
  fi
}

# The agent shares the gateway's network namespace. When the gateway restarts, it gets a new
# namespace and this container is left in the dead one (loopback only); exiting lets the restart
# policy start it again inside the new one.
watch_network_namespace() {
  local lost=0 line outside
  while sleep 2; do
    # Any interface but loopback (read with builtins: this runs for as long as the container).
    outside=no
    while read -r line; do
      case $line in lo:* | Inter-* | face*) ;; *) outside=yes ;; esac
    done </proc/net/dev
    if [ "$outside" = yes ]; then
      lost=0
    else
      lost=$((lost + 1))
      if [ "$lost" -ge 2 ]; then
        log "the gateway's network namespace is gone; restarting to rejoin it"
        exit 75
      fi
    fi
  done
}

case "$role" in
  agent)
    remap_claude_user
    prepare_home
    # Refuses to start while a mount from the workspace shows something else (a link put on its
    # way since `up`), or a secret file of the project is not shadowed (moved since `up`).
    /usr/local/lib/claude-tui/check-mount-sources
    /usr/local/lib/claude-tui/check-secret-shadows
    hand_over_ssh_agent
    date -u +%FT%TZ >"$state_dir/ready"
    log "ready as $(id -u claude):$(id -g claude)"
    exec setpriv --reuid=claude --regid=claude --init-groups --inh-caps=-all \
      /usr/local/bin/claude-tui-entrypoint agent-wait
    ;;
  agent-wait)
    watch_network_namespace
    ;;
  gateway)
    mkdir -p "$state_dir"
    # Deny first, then apply the policy the host wrote; on failure the rules stay closed and the
    # reason is in the status file for claude-tui to show.
    /usr/local/lib/claude-tui/firewall start || log "firewall: $(cat "$state_dir/firewall-status")"
    date -u +%FT%TZ >"$state_dir/ready"
    log "ready: $(cat "$state_dir/firewall-status")"
    exec sleep infinity
    ;;
  *)
    exec "$@"
    ;;
esac
