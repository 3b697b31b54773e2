#!/usr/bin/env bash
# Takes the README's screenshots from a real run: the built claude-tui in a real xterm on a virtual
# X display, against the real Docker Engine, with three demo projects running the test fixtures'
# fake agent (the real agent's model cannot be reached from a test machine).
# Needs: Xvfb, xterm, xdotool, xwd and ImageMagick (Debian: xvfb xterm xdotool x11-apps imagemagick).
# Usage: npm run build && bash scripts/take-screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in Xvfb xterm xdotool xwd /usr/bin/convert; do
  command -v "$tool" >/dev/null || { echo "take-screenshots: $tool is missing" >&2; exit 1; }
done

demo=$(mktemp -d /tmp/claude-tui-demo.XXXXXX)
export CLAUDE_TUI_CONFIG_DIR="$demo/.config" XDG_STATE_HOME="$demo/.state" TERM=xterm-256color
mkdir -p "$CLAUDE_TUI_CONFIG_DIR"
printf '{"githubMeta":false,"selfCheck":{"blocked":[],"allowed":[]},"notifications":{"desktop":false}}\n' \
  >"$CLAUDE_TUI_CONFIG_DIR/config.json"
# The allowlist shows the package registries the host uses; a screenshot must show example ones,
# never this machine's configuration: they are put in the cache claude-tui reads them from.
mkdir -p "$XDG_STATE_HOME/claude-tui/cache"
printf '{"at":%s,"hosts":["npm.example.internal","pypi.example.internal"]}\n' "$(date +%s000)" \
  >"$XDG_STATE_HOME/claude-tui/cache/registries.json"
cli_js=$(realpath dist/cli.js)
cli() { node "$cli_js" "$@"; }
fake_agent=$(realpath test/fixtures/fake-agent)
display=:77
xvfb_pid=

cleanup() {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  for project in "$demo"/*/; do
    volumes=$(cli status "$project" --json 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{console.log(JSON.parse(s).volumes.join(" "))}catch{}})')
    cli down "$project" >/dev/null 2>&1 || true
    for volume in $volumes; do docker volume rm "$volume" >/dev/null 2>&1 || true; done
  done
  rm -rf "$demo"
}
trap cleanup EXIT

for name in shop-frontend payments-api docs-site; do
  mkdir -p "$demo/$name/.claude"
  cat >"$demo/$name/.claude/claude-tui.yaml" <<EOF
firewall:
  selfCheck: { blocked: [], allowed: [] }
agent:
  command: /opt/fake-agent/fake-agent
mounts:
  - { source: $fake_agent, target: /opt/fake-agent }
EOF
  printf '# what this project may reach besides the defaults\ngit.internal.example\nstatus.example.org\n' \
    >"$demo/$name/.claude/allowed-domains.txt"
  chown -R 1234:1234 "$demo/$name"
done
cli up "$demo/shop-frontend" --yes >/dev/null
cli up "$demo/payments-api" --yes >/dev/null
cli start "$demo/shop-frontend" --name fix-login -- --model opus >/dev/null
cli start "$demo/shop-frontend" --name add-tests >/dev/null
cli start "$demo/payments-api" --name refactor >/dev/null
agent=$(cli status "$demo/shop-frontend" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).agent.name))')
sleep 2
send() { docker exec -u claude "$agent" tmux send-keys -t "=$1:" "$2" Enter; }
send fix-login 'the login form loses the email field on error'
send fix-login 'busy 400'
send add-tests 'ask'
# A name the firewall refuses, so the allowlist screen has something to show.
docker exec -u claude "$agent" curl -s --max-time 2 http://telemetry.example.com/ >/dev/null 2>&1 || true
# Something to review in payments-api: the agent adds an editor task (it runs on the host later),
# and the allowlist is changed outside claude-tui.
payments_agent=$(cli status "$demo/payments-api" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).agent.name))')
docker exec -u claude -w /workspace "$payments_agent" sh -c \
  'mkdir -p .vscode && printf "{\"tasks\":[{\"label\":\"setup\",\"command\":\"./setup.sh\",\"runOptions\":{\"runOn\":\"folderOpen\"}}]}\n" > .vscode/tasks.json'
printf 'paste.example.net\n' >>"$demo/payments-api/.claude/allowed-domains.txt"
sleep 2

Xvfb "$display" -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
# Started in the demo folder: the dashboard opens on the project it is started in, and the
# repository this script runs from is one.
(cd "$demo" && DISPLAY=$display xterm -geometry 120x34+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1b1d23' \
  -fg '#d8dee9' -xrm 'XTerm*allowSendEvents: true' -T claude-tui -e node "$cli_js") &
sleep 3
window=$(DISPLAY=$display xdotool search --name claude-tui | head -1)
keys() { DISPLAY=$display xdotool type --window "$window" --delay 80 "$1"; sleep "${2:-1.5}"; }
shoot() { DISPLAY=$display xwd -silent -id "$window" | /usr/bin/convert xwd:- "assets/$1.png"; echo "assets/$1.png"; }

mkdir -p assets
keys j 1.5
keys $'\t' 2
shoot dashboard-projects
keys w 2.5
shoot dashboard-allowlist
keys $'\e' 1
keys c 3
shoot dashboard-cleanup
keys $'\e' 1
keys $'\e' 1
keys k 1.5
keys r 2.5
shoot dashboard-policy
keys $'\e' 1
keys q 1
