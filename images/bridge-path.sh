# shellcheck shell=sh
# Login shells set PATH anew (/etc/profile); the bridge's commands stay on it, last.
case ":$PATH:" in
  *:/run/claude-tui/bridge/bin:*) ;;
  *) PATH=$PATH:/run/claude-tui/bridge/bin ;;
esac
