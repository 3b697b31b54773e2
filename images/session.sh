#!/bin/bash
# Agent sessions inside the agent container, run as `claude`. Each session is a tmux session; its
# files live in the home volume, so they outlive containers:
#   ~/.claude-tui/sessions/NAME/state        "<state> <epoch> <source>"  (working|waiting|idle|exited)
#   ~/.claude-tui/sessions/NAME/exit-code    the agent's exit code, once it has exited
#   ~/.claude-tui/sessions/NAME/transcript   everything the agent printed
#
#   session start NAME COLS ROWS -- CMD...   start CMD in a new tmux session
#   session run NAME -- CMD...               (inside tmux) run the agent and record how it ends
#   session list                             one line per session: name, state, times, tmux status
#   session watch                            print the list again whenever a state changes
#   session hook STATE                       called by the agent's hooks; CLAUDE_TUI_SESSION names it
#   session install-hooks                    merge our hooks into ~/.claude/settings.json
#   session attach NAME ROWS COLS            attach a tmux client, the terminal sized first
set -uo pipefail
root=$HOME/.claude-tui/sessions
self=/usr/local/lib/claude-tui/session

set_state() {
  local name=$1 state=$2 source=$3
  mkdir -p "$root/$name"
  printf '%s %s %s\n' "$state" "$(date +%s)" "$source" >"$root/$name/state.tmp" && mv "$root/$name/state.tmp" "$root/$name/state"
}

# Claude Code's hooks, merged into the person's own settings: theirs stay, ours are replaced.
install_hooks() {
  local settings=$HOME/.claude/settings.json ours
  mkdir -p "$HOME/.claude"
  [ -s "$settings" ] || echo '{}' >"$settings"
  ours=$(jq -n --arg self "$self" '
    def hook(state): [{ hooks: [{ type: "command", command: ($self + " hook " + state) }] }];
    { UserPromptSubmit: hook("working"), PreToolUse: hook("working"), PostToolUse: hook("working"),
      Notification: hook("waiting"), Stop: hook("idle"), SubagentStop: hook("working"),
      SessionEnd: hook("idle") }')
  jq --arg self "$self" --argjson ours "$ours" '
    .hooks = (reduce ($ours | keys[]) as $event (.hooks // {};
      .[$event] = ([(.[$event] // [])[] | select(any(.hooks[]?; (.command // "") | startswith($self)) | not)]
                   + $ours[$event])))' "$settings" >"$settings.tmp" && mv "$settings.tmp" "$settings"
}

case ${1:-} in
  start)
    name=$2 cols=$3 rows=$4
    shift 5
    if tmux has-session -t "=$name" 2>/dev/null; then echo "a session named $name is running" >&2; exit 3; fi
    rm -rf "${root:?}/$name" && mkdir -p "$root/$name"
    install_hooks
    set_state "$name" working start
    tmux new-session -d -s "$name" -x "$cols" -y "$rows" -e "CLAUDE_TUI_SESSION=$name" -- "$self" run "$name" -- "$@" || exit 1
    ;;
  run)
    name=$2
    shift 3
    export CLAUDE_TUI_SESSION=$name
    # Ctrl+C belongs to the agent; this wrapper outlives it to record how it ended. A handler (not
    # an ignore) so that the agent itself starts with the default action.
    trap ':' INT QUIT
    # The transcript starts before the agent prints anything.
    tmux pipe-pane -t "$TMUX_PANE" -o "cat >>'$root/$name/transcript'"
    "$@"
    code=$?
    printf '%s\n' "$code" >"$root/$name/exit-code"
    set_state "$name" exited agent
    exit "$code"
    ;;
  list)
    alive=$(tmux list-sessions -F '#{session_name} #{session_created} #{window_activity}' 2>/dev/null)
    for dir in "$root"/*/; do
      [ -d "$dir" ] || continue
      name=$(basename "$dir")
      read -r state since source <"$dir/state" 2>/dev/null || { state=unknown since=0 source=none; }
      created=0 activity=0 running=no
      line=$(grep -E "^$name " <<<"$alive" || true)
      if [ -n "$line" ]; then read -r _ created activity <<<"$line"; running=yes; fi
      code=$(cat "$dir/exit-code" 2>/dev/null || echo -)
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$state" "$since" "$source" "$running" "$created" "$activity" "$code"
    done
    ;;
  watch)
    last=''
    beat=0
    while :; do
      now=$("$self" list)
      if [ "$now" != "$last" ]; then
        printf '%s\n--\n' "$now" || exit 0
        last=$now
      elif [ $((beat += 1)) -ge 8 ]; then
        # An empty line every 2 s: once the reader is gone, the write fails and the loop ends
        # (an exec has no terminal to hang up, so nothing else would stop it).
        printf '\n' || exit 0
        beat=0
      fi
      sleep 0.25
    done
    ;;
  hook)
    cat >/dev/null
    [ -n "${CLAUDE_TUI_SESSION:-}" ] && set_state "$CLAUDE_TUI_SESSION" "$2" "hook"
    exit 0
    ;;
  install-hooks) install_hooks ;;
  attach)
    # docker exec gives the terminal its size only after the command started; tmux must not read
    # it before.
    stty rows "$3" cols "$4" 2>/dev/null
    exec tmux -u attach-session -t "=$2"
    ;;
  *) echo "usage: session start|run|list|watch|hook|install-hooks" >&2; exit 2 ;;
esac
