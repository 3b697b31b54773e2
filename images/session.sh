#!/bin/bash
# Agent sessions inside the agent container, run as `claude`. Each session is a tmux session; its
# files live in the home volume, so they outlive containers:
#   ~/.claude-tui/sessions/NAME/state        "<state> <epoch> <source>"  (working|waiting|idle|exited)
#   ~/.claude-tui/sessions/NAME/exit-code    the agent's exit code, once it has exited
#   ~/.claude-tui/sessions/NAME/transcript   everything the agent printed
#   ~/.claude-tui/sessions/NAME/sizes        "<bytes> <cols> <rows>": the pane's size from that
#                                            byte of the transcript on (to replay it as it was)
#   ~/.claude-tui/sessions/NAME/git          present for a git session: it runs in a container of
#                                            its own (CLAUDE_TUI_GIT_SESSION names its one session)
#
# The project's agent container lists every session. A git session's tmux is never asked from here:
# its socket would have to sit in the home volume, where a program of the agent's could stand in
# for tmux's server and command the client that connects. It is running until it leaves its mark
# (exit-code, or ended: written when the agent ends, and when its container starts anew).
#
#   session start NAME COLS ROWS -- CMD...   start CMD in a new tmux session ("-": the first free
#                                            sN); says "session NAME", then, with CLAUDE_TUI_WAIT=MAX,
#                                            waits for its end as `wait NAME MAX` does
#   session run NAME -- CMD...               (inside tmux) run the agent and record how it ends
#   session list                             one line per session: name, state, times, tmux status
#   session watch                            print the list again whenever a state changes
#   session wait NAME MAXBYTES               until NAME has ended: how it ended, its pane sizes and
#                                            the last MAXBYTES of its transcript (claude-tui run)
#   session hook STATE                       called by the agent's hooks; CLAUDE_TUI_SESSION names it
#   session resized NAME COLS ROWS           called by tmux when the session's window changes size
#   session install-hooks                    merge our hooks into ~/.claude/settings.json
#   session install-mcp                      merge the MCP servers on stdin into ~/.claude.json
#   session attach NAME ROWS COLS            attach a tmux client, the terminal sized first
set -uo pipefail
root=$HOME/.claude-tui/sessions
self=/usr/local/lib/claude-tui/session
# On the container's tmpfs, never in a volume: a session's credentials wait here until its agent
# starts, then go.
credentials_root=/run/claude-tui/credentials

set_state() {
  local name=$1 state=$2 source=$3
  [ -d "$root/$name" ] || mkdir -p "$root/$name"
  printf '%s %s %s\n' "$state" "$EPOCHSECONDS" "$source" >"$root/$name/state.tmp" && mv "$root/$name/state.tmp" "$root/$name/state"
}

# Claude Code's hooks, merged into the person's own settings: theirs stay, ours are replaced. The
# merge (jq, twice) was most of a session's start: it is skipped while the settings file and this
# script are older than the mark the last merge left (a test, no process: every process here is a
# few milliseconds of `claude-tui run`). A mark made by an older script has its checksums in it,
# and is taken as older.
install_hooks() {
  local settings=$HOME/.claude/settings.json stamp=$root/.hooks-merged ours
  [ -d "$HOME/.claude" ] || mkdir -p "$HOME/.claude"
  [ -s "$settings" ] || echo '{}' >"$settings"
  [ -f "$stamp" ] && ! [ -s "$stamp" ] && [ "$stamp" -nt "$settings" ] && [ "$stamp" -nt "$self" ] && return 0
  ours=$(jq -n --arg self "$self" '
    def hook(state): [{ hooks: [{ type: "command", command: ($self + " hook " + state) }] }];
    { UserPromptSubmit: hook("working"), PreToolUse: hook("working"), PostToolUse: hook("working"),
      Notification: hook("waiting"), Stop: hook("idle"), SubagentStop: hook("working"),
      SessionEnd: hook("idle") }')
  jq --arg self "$self" --argjson ours "$ours" '
    .hooks = (reduce ($ours | keys[]) as $event (.hooks // {};
      .[$event] = ([(.[$event] // [])[] | select(any(.hooks[]?; (.command // "") | startswith($self)) | not)]
                   + $ours[$event])))' "$settings" >"$settings.tmp" && mv "$settings.tmp" "$settings" &&
    mkdir -p "${stamp%/*}" && : >"$stamp"
}

# A session's credentials arrive on stdin, one "KIND VALUE" line each, into files only this user
# can read. With one for Claude, the agent's first-run wizard would only ask for a login it has.
store_credentials() {
  local dir=$credentials_root/$1 kind value claude='' made=''
  # A folder on the tmpfs itself: a link put in its place would lead the token into a volume.
  if [ -L "$credentials_root" ]; then rm -f "$credentials_root"; fi
  if [ -e "$dir" ]; then rm -rf "$dir"; fi
  # Up to a line "end" (or the input's end): a start that goes on to wait keeps its stdin open.
  while read -r kind value && [ "$kind" != end ]; do
    case $kind in
      claude-oauth | claude-api-key) claude=1 ;;
      github) ;;
      *) continue ;;
    esac
    if [ -z "$made" ]; then
      (umask 077 && mkdir -p "$credentials_root" && mkdir "$dir") || return 1
      made=1
    fi
    (umask 277 && printf '%s' "$value" >"$dir/$kind") || return 1
  done
  if [ -n "$claude" ]; then mark_onboarded; fi
  return 0
}

# Claude Code's own record (~/.claude.json) that its first-run wizard was done; the rest stays.
mark_onboarded() {
  local config=$HOME/.claude.json
  [ -s "$config" ] || echo '{}' >"$config"
  jq -e '.hasCompletedOnboarding == true' "$config" >/dev/null 2>&1 && return 0
  jq '.hasCompletedOnboarding = true' "$config" >"$config.tmp" && mv "$config.tmp" "$config"
}

# Hands the session's credentials to the agent this shell is about to run, and removes their
# files: Claude's through a file descriptor it reads at start (never its environment), GitHub's as
# GH_TOKEN, the variable gh reads.
open_credentials() {
  local dir=$credentials_root/$1
  if [ -f "$dir/claude-oauth" ]; then
    exec 3<"$dir/claude-oauth"
    export CLAUDE_CODE_OAUTH_TOKEN_FILE_DESCRIPTOR=3
  fi
  if [ -f "$dir/claude-api-key" ]; then
    exec 4<"$dir/claude-api-key"
    export CLAUDE_CODE_API_KEY_FILE_DESCRIPTOR=4
  fi
  if [ -f "$dir/github" ]; then
    GH_TOKEN=$(<"$dir/github")
    export GH_TOKEN
  fi
  if [ -e "$dir" ]; then rm -rf "$dir"; fi
}

# The project's approved MCP servers (a JSON object by name, on stdin), merged into Claude Code's
# user-scoped mcpServers in ~/.claude.json. The names we wrote are recorded beside our sessions:
# those are replaced, unless changed since (then they are the person's); the person's own stay, and
# one of theirs that a project server of the same name covers is kept in the record and put back
# when that server goes. Written to a new file and moved over the old one, so Claude Code never
# reads half of it.
install_mcp() {
  local config=$HOME/.claude.json record=$HOME/.claude-tui/mcp-servers.json ours kept new
  ours=$(cat)
  # Nothing of ours, now or before: the file stays as it is (it may not exist yet).
  if [ "$ours" = '{}' ] && [ ! -e "$record" ]; then return 0; fi
  # One jq: the record (one line), then the new settings. A file that is not JSON stops it here.
  { read -r kept && new=$(cat); } < <(jq -rn --argjson ours "$ours" \
    --slurpfile config "$( [ -e "$config" ] && echo "$config" || echo /dev/null)" \
    --slurpfile record "$( [ -e "$record" ] && echo "$record" || echo /dev/null)" '
    if ($ours | type) != "object" then error("the MCP servers given are not a JSON object") else . end
    | ($config[0] // {}) as $cfg | ($record[0] // {}) as $rec
    | ($rec.servers // {}) as $wrote | ($rec.displaced // {}) as $kept
    | ($cfg.mcpServers // {})
    | reduce ($wrote | keys[]) as $name (.; if .[$name] == $wrote[$name] then del(.[$name]) else . end)
    | reduce ($kept | keys[]) as $name (.; if has($name) then . else .[$name] = $kept[$name] end)
    | . as $theirs
    | ({ servers: $ours, displaced: ($theirs | with_entries(select(.key as $k | $ours | has($k)))) } | tojson),
      ($cfg + { mcpServers: ($theirs + $ours) })') && [ -n "$new" ] || return 1
  if [ -e "$config" ] || [ "$ours" != '{}' ]; then
    printf '%s\n' "$new" >"$config.claude-tui.tmp" && mv "$config.claude-tui.tmp" "$config" || return 1
  fi
  if [ "$kept" = '{"servers":{},"displaced":{}}' ]; then
    rm -f "$record"
  else
    mkdir -p "${record%/*}" && printf '%s\n' "$kept" >"$record.tmp" && mv "$record.tmp" "$record"
  fi
}

# One line per session: name, state, since, source, running, created, last activity, exit code,
# kind (workspace or git). Builtins only, but for one tmux call per server: the watcher runs this
# on every change.
list_sessions() {
  local -A created=() activity=()
  local name c a dir state since source running code kind
  while read -r name c a; do
    created[$name]=$c activity[$name]=$a
  done < <(tmux list-sessions -F '#{session_name} #{session_created} #{window_activity}' 2>/dev/null)
  for dir in "$root"/*/; do
    [ -d "$dir" ] || continue
    dir=${dir%/} name=${dir##*/}
    kind=workspace
    read -r state since source 2>/dev/null <"$dir/state" || { state=unknown since=0 source=none; }
    code=-
    [ -f "$dir/exit-code" ] && read -r code <"$dir/exit-code"
    if [ -e "$dir/git" ]; then
      kind=git
      if [ -e "$dir/exit-code" ] || [ -e "$dir/ended" ]; then
        running=no c=0 a=0
      else
        running=yes c=$(stat -c %Y "$dir/started" 2>/dev/null || echo 0) a=$(stat -c %Y "$dir/transcript" 2>/dev/null || echo 0)
      fi
    elif [ -n "${created[$name]+set}" ]; then running=yes c=${created[$name]} a=${activity[$name]}; else running=no c=0 a=0; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$state" "$since" "$source" "$running" "$c" "$a" "$code" "$kind"
  done
}

# Whether a running session's state comes from output timing (no hook has spoken for it).
needs_activity() {
  local name state since source running rest
  while IFS=$'\t' read -r name state since source running rest; do
    [ "$running" = yes ] && [ "$source" != hook ] && [ "$state" != exited ] && return 0
  done <<<"$1"
  return 1
}

# claude-tui attaches stdin and never writes to it: the Engine closes it when the reader goes
# away (an exec has no terminal to hang up, and output into a pipe nobody reads still succeeds).
reader_gone() {
  [ -p /dev/stdin ] && read -r -t 0 -u 0 || return 1
  read -r -t 1 -u 0 _
  [ $? -eq 1 ]
}

# tmux drops what it has not yet handed to the transcript's pipe when the pane closes, so the
# agent's last output (a long answer printed just before it exits) could be cut. A mark printed
# after it, an OSC no terminal acts on, reaches the file only after all of it: wait for that (5 s
# at most). Printed in the background: a terminal whose output was stopped must not hold us.
mark_transcript_end() {
  local file=$1 mark=claude-tui-end-$$-$SRANDOM deadline=$((SECONDS + 5)) pause found=1
  printf '\e]7717;%s\a' "$mark" &
  # A pipe nobody writes to: `read -t` on it pauses without starting a process.
  exec {pause}<> <(:)
  while [ "$SECONDS" -lt "$deadline" ]; do
    grep -qaF "$mark" < <(tail -c 256 "$file" 2>/dev/null) && { found=0; break; }
    read -r -t 0.005 -u "$pause" _
  done
  exec {pause}<&-
  return "$found"
}

# Waits for a session to end (its exit code written, or the mark of a stop) on inotify events,
# with a tick should inotify be missing; ends early when the reader is gone. inotifywait's own
# "Watches established." line is one more look, after which no change can be missed.
wait_for_end() {
  local dir=$1 events checked=$SECONDS
  if [ -s "$dir/exit-code" ] || [ -e "$dir/ended" ]; then return 0; fi
  exec {events}< <(
    {
      inotifywait -m -e moved_to,close_write,create --format . "$dir"
      while sleep 1; do echo .; done
    } 2>&1
  )
  # Not local: the trap runs after the function returned.
  events_pid=$!
  trap 'pkill -P "$events_pid"; kill "$events_pid"' EXIT
  until [ -s "$dir/exit-code" ] || [ -e "$dir/ended" ]; do
    read -r -t 2 -u "$events" _
    if [ $((SECONDS - checked)) -ge 2 ]; then
      reader_gone && exit 0
      checked=$SECONDS
    fi
  done
}

# How a session ended ("-": stopped), the transcript's length, the sizes, "--", then exactly its
# last min(length, max) bytes: the reader knows when it has them all.
send_end() {
  local dir=$1 max=$2 code=- total send sizes=
  [ -s "$dir/exit-code" ] && read -r code <"$dir/exit-code"
  total=$(stat -c %s "$dir/transcript" 2>/dev/null || echo 0)
  send=$((total < max ? total : max))
  [ -f "$dir/sizes" ] && IFS= read -r -d '' -N 1048576 sizes <"$dir/sizes"
  printf '%s\n%s\n%s\n--\n' "${code:0:8}" "$total" "$sizes"
  [ "$send" -gt 0 ] && tail -c "+$((total - send + 1))" "$dir/transcript" | head -c "$send"
  return 0
}

case ${1:-} in
  start)
    name=$2 cols=$3 rows=$4
    shift 5
    claimed=
    if [ "$name" = - ]; then
      # The first free default name, claimed by making its folder (two starts never get one name).
      [ -d "$root" ] || mkdir -p "$root"
      i=1
      # A test first (no process): a project keeps the folders of its ended sessions.
      until [ ! -e "$root/s$i" ] && mkdir "$root/s$i" 2>/dev/null && ! tmux has-session -t "=s$i" 2>/dev/null; do
        i=$((i + 1))
      done
      name=s$i claimed=1
    fi
    git_session=${CLAUDE_TUI_GIT_SESSION:-}
    if [ -n "$git_session" ] && [ "$name" != "$git_session" ]; then
      echo "this container runs the git session $git_session only" >&2; exit 2
    fi
    if [ -z "$git_session" ] && [ -e "$root/$name/git" ]; then
      echo "a git session is named $name" >&2; exit 4
    fi
    # A name just claimed was checked on the way (and its folder is new).
    if [ -z "$claimed" ]; then
      if tmux has-session -t "=$name" 2>/dev/null; then echo "a session named $name is running" >&2; exit 3; fi
      rm -rf "${root:?}/$name" && mkdir -p "$root/$name"
    fi
    if [ -n "$git_session" ]; then : >"$root/$name/git"; fi
    store_credentials "$name" || { echo "could not keep the session's credentials" >&2; exit 1; }
    install_hooks
    set_state "$name" working start
    # One tmux client for all of it: the session; its transcript, piped before tmux reads a byte
    # of the pane (commands of one client run before the server's next read); the size tmux gave,
    # which is the latest client's rather than ours while another session has one; and the hook
    # for later sizes.
    tmux new-session -d -s "$name" -x "$cols" -y "$rows" -e "CLAUDE_TUI_SESSION=$name" -- "$self" run "$name" -- "$@" \; \
      pipe-pane -t "=$name:" -o "cat >>'$root/$name/transcript'" \; \
      display-message -p -t "=$name:" '0 #{pane_width} #{pane_height}' \; \
      set-hook -t "=$name:" window-resized "run-shell -b '$self resized $name #{pane_width} #{pane_height}'" \
      >"$root/$name/sizes" || {
      rm -rf "${credentials_root:?}/$name"
      exit 1
    }
    # Watchers may have looked between the state file and tmux knowing the session: look again.
    : >"$root/$name/started"
    printf 'session %s\n' "$name"
    # One exec for a start and its wait (claude-tui run): each exec costs the Engine a process.
    if [ -n "${CLAUDE_TUI_WAIT:-}" ]; then
      wait_for_end "$root/$name"
      send_end "$root/$name" "$CLAUDE_TUI_WAIT"
    fi
    ;;
  run)
    name=$2
    shift 3
    export CLAUDE_TUI_SESSION=$name
    # Ctrl+C belongs to the agent; this wrapper outlives it to record how it ended. A handler (not
    # an ignore) so that the agent itself starts with the default action.
    trap ':' INT QUIT
    # Ended without an exit code (stopped: tmux hangs up): leave a mark, so watchers hear of it now.
    # On exit, not on the signal: a trapped signal would wait for the agent, which gets its own
    # hangup only once this, the session leader, is gone.
    trap '[ -e "$root/$name/exit-code" ] || touch "$root/$name/ended"' EXIT
    # The transcript was piped by `start`, before the agent printed anything.
    open_credentials "$name"
    "$@"
    code=$?
    # The exit code is written once the transcript holds everything (claude-tui run prints it then).
    if [ "$(tmux display-message -p -t "$TMUX_PANE" '#{pane_pipe}')" = 1 ]; then
      mark_transcript_end "$root/$name/transcript"
    fi
    printf '%s\n' "$code" >"$root/$name/exit-code"
    set_state "$name" exited agent
    exit "$code"
    ;;
  list) list_sessions ;;
  wait)
    name=$2 max=$3 dir=$root/$2
    [ -d "$dir" ] || { echo "there is no session named $name" >&2; exit 5; }
    wait_for_end "$dir"
    send_end "$dir" "$max"
    exit 0
    ;;
  watch)
    mkdir -p "$root"
    # Events, not polling: inotify reports each state file written (and each session made or
    # removed). Should it be missing or refused (too many inotify instances for this user), a
    # tick every half second stands in for the events.
    exec {events}< <(
      inotifywait -m -r -q -e moved_to,close_write,create,delete \
        --exclude '/(transcript|sizes|[^/]*\.tmp)$' --format . "$root" 2>/dev/null
      while sleep 0.5; do echo .; done
    )
    source_pid=$!
    trap 'pkill -P "$source_pid"; kill "$source_pid"' EXIT
    # A write to a reader that is gone must fail (and end the loop), not kill the shell unseen.
    trap '' PIPE
    # Not a list: the first one is printed even when there is no session at all.
    last=$'\1' checked=$SECONDS
    while :; do
      now=$(list_sessions)
      if [ "$now" != "$last" ]; then
        printf '%s\n--\n' "$now" || exit 0
        last=$now
      fi
      # Sessions judged by output timing need tmux's activity time fresh: look every second while
      # one runs. Otherwise wait for an event, and every ten seconds look anyway, in case a
      # session ended without a word. Every 2 s, events or not, make sure the reader is there.
      if needs_activity "$now"; then wait=1; else wait=2; fi
      looked=$SECONDS
      while :; do
        if [ $((SECONDS - checked)) -ge 2 ]; then
          reader_gone && exit 0
          checked=$SECONDS
        fi
        read -r -t "$wait" -u "$events" _ && break
        [ $? -gt 128 ] || exit 1 # not a timeout: the events ended
        [ "$wait" = 1 ] && break
        [ $((SECONDS - looked)) -ge 10 ] && break
      done
      # A burst of events (a state written, a directory made) is one change.
      for _ in {1..40}; do read -r -t 0.05 -u "$events" _ || break; done
    done
    ;;
  hook)
    cat >/dev/null
    [ -n "${CLAUDE_TUI_SESSION:-}" ] && set_state "$CLAUDE_TUI_SESSION" "$2" "hook"
    exit 0
    ;;
  resized)
    # Where the resize falls in the transcript, near enough: pipe-pane's cat may lag a little.
    bytes=$(stat -c %s "$root/$2/transcript" 2>/dev/null || echo 0)
    printf '%s %s %s\n' "$bytes" "$3" "$4" >>"$root/$2/sizes"
    ;;
  install-hooks) install_hooks ;;
  install-mcp) install_mcp ;;
  attach)
    # docker exec gives the terminal its size only after the command started; tmux must not read
    # it before.
    stty rows "$3" cols "$4" 2>/dev/null
    exec tmux -u attach-session -t "=$2"
    ;;
  *) echo "usage: session start|run|list|watch|wait|hook|resized|install-hooks|install-mcp" >&2; exit 2 ;;
esac
