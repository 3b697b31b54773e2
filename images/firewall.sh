#!/bin/bash
# The gateway's egress firewall. Runs as root inside the gateway container, which owns the project's
# network namespace; the agent container shares the namespace but holds no capability to change it.
#
#   firewall start    at container start: deny everything first, then apply the policy
#   firewall reload   from the host (docker exec) after it wrote a new policy
#   firewall refused  what was refused: DNS names and rejected connections, as tab-separated lines
#
# The policy is written by claude-tui on the host into a folder mounted read-only here:
#   settings.env  FIREWALL (on|off), UPSTREAM, HOST_PORTS, CHECK_BLOCKED, CHECK_ALLOWED, APT_SOURCES
#   domains.txt   names whose addresses may be reached (a name allows its subdomains)
#   cidrs4.txt, cidrs6.txt   address ranges that may be reached
set -uo pipefail

policy_dir=${CLAUDE_TUI_POLICY_DIR:-/etc/claude-tui/policy}
run_dir=/run/claude-tui
data_dir=/var/lib/claude-tui
dns_user=ctui-dns
nflog_group=42
status_file=$run_dir/firewall-status
# A file of the host's, when mounted: claude-tui reads a session's go-ahead there, with no process in
# here. Written in place (the mount holds the file), never replaced.
host_status_file=/var/lib/claude-tui-host/firewall-status
status_log_prefix='claude-tui-firewall-status: '
# The name the self-check asks about; left out of the refused list.
check_name=claude-tui-self-check.invalid

# The status goes to the file `firewall status` prints, and as a line to the container's log (PID 1's
# output), where claude-tui reads it without starting a process in here.
say_status() {
  printf '%s\n' "$*" >"$status_file"
  if [ -f "$host_status_file" ] && [ ! -L "$host_status_file" ]; then printf '%s\n' "$*" >"$host_status_file"; fi
  printf '%s%s\n' "$status_log_prefix" "$*" >/proc/1/fd/1 2>/dev/null || true
}
fail() {
  say_status "unprotected: $*"
  echo "firewall: $*" >&2
  exit 1
}

# Nothing leaves but loopback, and Docker's resolver is closed too. Installed before anything else,
# and kept when a later step fails: the firewall fails closed.
deny_all() {
  iptables-restore <<'RULES' || return 1
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -d 127.0.0.11/32 -j REJECT
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp-port-unreachable
COMMIT
RULES
  if ipv6_enabled; then
    ip6tables-restore <<'RULES' || return 1
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset
-A OUTPUT -j REJECT --reject-with icmp6-adm-prohibited
COMMIT
RULES
  fi
}

ipv6_enabled() { [ -e /proc/net/if_inet6 ]; }

load_settings() {
  [ -r "$policy_dir/settings.env" ] || fail "no policy from claude-tui yet (run claude-tui up or allow apply)"
  FIREWALL=on UPSTREAM=127.0.0.11 HOST_PORTS='' CHECK_BLOCKED='' CHECK_ALLOWED='' APT_SOURCES=on
  # shellcheck disable=SC1091 # written by claude-tui on the host from validated values only
  . "$policy_dir/settings.env"
}

# Names of the Debian mirrors this image installs from, so apt works inside when allowed.
apt_source_hosts() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
    grep -oE 'https?://[^/ ]+' | sed -E 's#^https?://##; s#:[0-9]+$##' | sort -u
  return 0
}

allowed_names() {
  {
    grep -vE '^\s*(#|$)' "$policy_dir/domains.txt" 2>/dev/null
    if [ "$APT_SOURCES" = on ]; then apt_source_hosts; fi
  } | sort -u
  return 0
}

# Address ranges go into fresh sets that are swapped in whole, so a reload is atomic.
load_range_sets() {
  local family set file
  for family in 4 6; do
    set=ctui-net$family
    file=$policy_dir/cidrs$family.txt
    local inet=inet; [ $family = 6 ] && inet=inet6
    ipset -exist create "$set" hash:net family $inet maxelem 1048576 || return 1
    ipset -exist create "$set-new" hash:net family $inet maxelem 1048576 || return 1
    ipset flush "$set-new"
    if [ -s "$file" ]; then
      grep -vE '^\s*(#|$)' "$file" | sed "s/^/add $set-new /" | ipset -exist restore || return 1
    fi
    ipset swap "$set-new" "$set" && ipset destroy "$set-new" || return 1
    # Addresses the resolver learns for allowed names; refreshed as names resolve again.
    ipset -exist create "ctui-dns$family" hash:ip family $inet maxelem 1048576 timeout 86400 || return 1
  done
}

write_dnsmasq_conf() {
  local conf=$data_dir/dnsmasq.conf name
  {
    echo 'no-resolv'
    echo 'no-hosts'
    echo 'no-poll'
    echo 'listen-address=127.0.0.1'
    echo 'bind-interfaces'
    echo "user=$dns_user"
    echo 'cache-size=1000'
    echo 'log-queries=extra'
    echo "log-facility=$data_dir/dns.log"
    echo "pid-file=$run_dir/dnsmasq.pid"
    while read -r name; do
      [ -n "$name" ] || continue
      echo "server=/$name/$UPSTREAM"
      echo "ipset=/$name/ctui-dns4,ctui-dns6"
    done <<<"$ALLOWED_NAMES"
  } >"$conf.new" && mv "$conf.new" "$conf"
}

restart_dnsmasq() {
  if [ -s "$run_dir/dnsmasq.pid" ]; then
    kill "$(cat "$run_dir/dnsmasq.pid")" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$(cat "$run_dir/dnsmasq.pid")" 2>/dev/null || break; sleep 0.02; done
  fi
  touch "$data_dir/dns.log" && chown "$dns_user" "$data_dir/dns.log"
  dnsmasq -C "$data_dir/dnsmasq.conf" || return 1
  for _ in $(seq 100); do
    kdig @127.0.0.1 +timeout=1 +retry=0 "$check_name" >/dev/null 2>&1 && return 0
    sleep 0.02
  done
  return 1
}

host_gateway_ip() { ip -4 route show default | awk '{print $3; exit}'; }

# host.docker.internal's address, as Docker wrote it into the hosts file for this start of the
# container (on Linux the default bridge's address, which is not the default route's). Read only at
# start: the agent container shares the file, and root in there could rewrite it later. Only a
# private IPv4 address is taken.
remember_host_address() {
  local address
  address=$(awk '{ for (i = 2; i <= NF; i++) if ($i == "host.docker.internal") { print $1; exit } }' /etc/hosts)
  if [[ $address =~ ^(10|172\.(1[6-9]|2[0-9]|3[01])|192\.168)\.[0-9]{1,3}\.[0-9]{1,3}$ ]]; then
    printf '%s\n' "$address" >"$run_dir/host-address"
  fi
}

# Where listed host ports are opened: the host's address on the project's network, and the one
# host.docker.internal names.
host_addresses() {
  { host_gateway_ip; cat "$run_dir/host-address" 2>/dev/null; } | grep -E '^[0-9.]+$' | sort -u
}

egress_rules() {
  local family=$1 set_net=ctui-net$1 set_dns=ctui-dns$1 reject=icmp-port-unreachable port address
  [ "$family" = 6 ] && reject=icmp6-adm-prohibited
  echo '*filter'
  echo ':INPUT ACCEPT [0:0]'
  echo ':FORWARD DROP [0:0]'
  echo ':OUTPUT DROP [0:0]'
  if [ "$family" = 4 ]; then
    # Only the resolver may reach Docker's embedded DNS: no tunnel around the allowlist.
    echo "-A OUTPUT -d 127.0.0.11/32 -m owner --uid-owner $dns_user -j ACCEPT"
    echo "-A OUTPUT -d 127.0.0.11/32 -j REJECT --reject-with $reject"
  fi
  echo '-A OUTPUT -o lo -j ACCEPT'
  echo '-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'
  if [ "$family" = 4 ]; then
    echo "-A OUTPUT -d 169.254.0.0/16 -j REJECT --reject-with $reject"
    if [ "$UPSTREAM" != 127.0.0.11 ]; then
      echo "-A OUTPUT -d $UPSTREAM/32 -p udp --dport 53 -m owner --uid-owner $dns_user -j ACCEPT"
      echo "-A OUTPUT -d $UPSTREAM/32 -p tcp --dport 53 -m owner --uid-owner $dns_user -j ACCEPT"
    fi
    for address in $(host_addresses); do
      for port in $HOST_PORTS; do
        echo "-A OUTPUT -d $address/32 -p tcp --dport $port -j ACCEPT"
      done
    done
  else
    echo "-A OUTPUT -d fd00:ec2::254/128 -j REJECT --reject-with $reject"
    # Neighbour discovery, without which no IPv6 address on the link answers at all.
    for type in neighbour-solicitation neighbour-advertisement router-solicitation; do
      echo "-A OUTPUT -p ipv6-icmp --icmpv6-type $type -j ACCEPT"
    done
  fi
  echo "-A OUTPUT -m set --match-set $set_net dst -j ACCEPT"
  echo "-A OUTPUT -m set --match-set $set_dns dst -j ACCEPT"
  echo "-A OUTPUT -m owner ! --uid-owner $dns_user -m limit --limit 60/min --limit-burst 30 -j NFLOG --nflog-group $nflog_group --nflog-prefix ctui-reject"
  echo '-A OUTPUT -p tcp -j REJECT --reject-with tcp-reset'
  echo "-A OUTPUT -j REJECT --reject-with $reject"
  echo 'COMMIT'
}

# A target as host:port; a name is resolved through the upstream, as the resolver would.
resolve_target() {
  local host=${1%:*}
  if [[ $host =~ ^[0-9.]+$ ]]; then echo "$host"; return; fi
  setpriv --reuid="$dns_user" --regid="$dns_user" --clear-groups \
    kdig @"$UPSTREAM" +short +timeout=2 +retry=0 "$host" A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1
}

# A plain TCP connection attempt: prints connected, refused or timeout. Made as the resolver's
# user, whose rejected packets are left out of the refused list.
probe() {
  local address=$1 port=$2
  # shellcheck disable=SC2016 # the inner bash expands them, from its own arguments
  setpriv --reuid="$dns_user" --regid="$dns_user" --clear-groups \
    timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$address" "$port" 2>/dev/null
  case $? in 0) echo connected ;; 124) echo timeout ;; *) echo refused ;; esac
}

self_check() {
  local target address
  kdig @127.0.0.1 +timeout=1 +retry=0 "$check_name" 2>/dev/null | grep -q 'status: REFUSED' ||
    { echo "the resolver answered a name that is not allowed"; return 1; }
  # Any answer at all from Docker's resolver (it knows the alias "gateway") means a way around.
  if kdig @127.0.0.11 +timeout=1 +retry=0 gateway 2>/dev/null | grep -q 'status:'; then
    echo "Docker's resolver is reachable around the allowlist"; return 1
  fi
  for target in $CHECK_BLOCKED; do
    address=$(resolve_target "$target")
    [ -n "$address" ] || continue
    case $(probe "$address" "${target##*:}") in
      refused) ;;
      timeout) echo "the blocked target $target timed out instead of being refused"; return 1 ;;
      *) echo "the blocked target $target answered"; return 1 ;;
    esac
  done
  return 0
}

# Allowed targets should answer, but a silent one is only a warning, so it is checked after the
# status is written, without holding up the start; a failure is added to the status line.
check_allowed_targets() {
  local status=$1 warnings='' target address code
  for target in $CHECK_ALLOWED; do
    address=$(kdig @127.0.0.1 +short +timeout=2 +retry=0 "${target%:*}" A 2>/dev/null | grep -E '^[0-9.]+$' | head -n1)
    code=$([ -n "$address" ] && probe "$address" "${target##*:}" || echo unresolved)
    [ "$code" = connected ] || warnings+="${warnings:+; }allowed target $target did not answer ($code)"
  done
  # Only if no newer apply has written the status since.
  if [ -n "$warnings" ] && [ "$(cat "$status_file")" = "$status" ]; then
    say_status "$status (warning: $warnings)"
  fi
}

apply() {
  load_settings
  if [ "$FIREWALL" = off ]; then
    [ -s "$run_dir/dnsmasq.pid" ] && kill "$(cat "$run_dir/dnsmasq.pid")" 2>/dev/null
    iptables -P OUTPUT ACCEPT && iptables -F OUTPUT
    ipv6_enabled && ip6tables -P OUTPUT ACCEPT && ip6tables -F OUTPUT
    say_status "off: the firewall is turned off in the project config"
    return 0
  fi
  load_range_sets || fail "the address sets could not be loaded"
  local before after
  # The names whose addresses the learned sets may hold: those of the last apply that went through
  # (recorded only at its end, so a failed apply leaves them to be forgotten by the next one).
  before=$(cat "$data_dir/names" 2>/dev/null)
  after=$(allowed_names)
  ALLOWED_NAMES=$after
  write_dnsmasq_conf || fail "the resolver config could not be written"
  egress_rules 4 | iptables-restore || fail "the IPv4 rules were refused"
  if ipv6_enabled; then egress_rules 6 | ip6tables-restore || fail "the IPv6 rules were refused"; fi
  restart_dnsmasq || fail "the resolver did not start"
  # A name taken away must lose the addresses it brought in, at once. After the restart, so the
  # old resolver cannot add them back; other names' addresses come back as they are looked up.
  if [ "$before" != "$after" ] && [ -n "$(comm -23 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))" ]; then
    if ! { ipset flush ctui-dns4 && ipset flush ctui-dns6; }; then
      fail "the addresses of removed names could not be forgotten"
    fi
  fi
  local problem
  problem=$(self_check) || fail "self-check failed: $problem"
  printf '%s\n' "$after" >"$data_dir/names" || fail "the allowed names could not be recorded"
  local names ranges status
  names=$(printf '%s\n' "$after" | grep -c .)
  ranges=$(cat "$policy_dir"/cidrs4.txt "$policy_dir"/cidrs6.txt 2>/dev/null | grep -cvE '^\s*(#|$)')
  status="protected: $names names, $ranges ranges, applied $(date -u +%FT%TZ)"
  say_status "$status"
  [ -n "$CHECK_ALLOWED" ] && check_allowed_targets "$status" </dev/null >/dev/null 2>&1 &
  return 0
}

start_reject_log() {
  # One line per rejected packet (rate-limited by the rule): time, then tcpdump's summary.
  ( tcpdump -i "nflog:$nflog_group" -nn -l -q -t 2>/dev/null |
      while IFS= read -r line; do printf '%s %s\n' "$(date +%s)" "$line"; done >>"$data_dir/rejected.log" ) &
}

# dns<TAB>name<TAB>count<TAB>last time (syslog form) for refused names;
# conn<TAB>proto address.port<TAB>count<TAB>last epoch for rejected connections.
refused() {
  awk -v check="$check_name" '
    / query\[[A-Z]+\] / { for (i = 1; i <= NF; i++) if ($i ~ /^query\[/) { name[$5] = $(i + 1) } }
    / is REFUSED/ && ($5 in name) { n = name[$5]; count[n]++; last[n] = $1 " " $2 " " $3 }
    END { for (n in count) if (n != check) printf "dns\t%s\t%d\t%s\n", n, count[n], last[n] }
  ' "$data_dir/dns.log" 2>/dev/null
  awk '
    { dst = $5; sub(/:$/, "", dst); proto = ($6 == "tcp" || $6 == "UDP,") ? ($6 == "tcp" ? "tcp" : "udp") : "other"
      key = proto " " dst; count[key]++; last[key] = $1 }
    END { for (k in count) printf "conn\t%s\t%d\t%s\n", k, count[k], last[k] }
  ' "$data_dir/rejected.log" 2>/dev/null
}

mkdir -p "$run_dir" "$data_dir"
case ${1:-} in
  start)
    deny_all || fail "the deny-all rules could not be installed"
    say_status "unprotected: starting"
    remember_host_address
    start_reject_log
    apply
    ;;
  reload)
    exec 9>"$run_dir/firewall.lock"
    flock 9
    apply && cat "$status_file"
    ;;
  refused) refused ;;
  status) cat "$status_file" ;;
  *) echo "usage: firewall start|reload|refused|status" >&2; exit 2 ;;
esac
