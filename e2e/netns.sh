#!/usr/bin/env bash
# Workload endpoints in network namespaces (root only). Each namespace is one "replica": a veth
# pair joins it to the host with a private /30 (10.213.x.y) that exists only between this host
# and that namespace, so probes reach it without leaving the machine.
#
#   netns.sh up NAME                      create netns pacto-NAME; prints the namespace address
#   netns.sh serve NAME PORT [CONFIG]     start an HTTP server in it on PORT (CONFIG: JSON routes,
#                                         default /health -> 200 "ok", /metrics -> 200 sample text)
#   netns.sh set NAME PORT PATH STATUS [BODY]   change one route of a running server
#   netns.sh addr NAME                    print the namespace address
#   netns.sh down NAME                    stop its servers, delete netns and veth
#   netns.sh down-all                     tear down every namespace made by this script
#
# State: $PACTO_E2E_NETNS_DIR (default target/e2e/netns/NAME/{index,addr,PORT.pid,PORT.json,PORT.log}).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
state_root="${PACTO_E2E_NETNS_DIR:-${CARGO_TARGET_DIR:-$root/target}/e2e/netns}"
prefix="10.213" # 10.213.0.0/16 carved into /30s, one per namespace

die() { echo "[e2e-netns] $*" >&2; exit 1; }
check_name() { [[ "$1" =~ ^[a-z0-9][a-z0-9-]{0,9}$ ]] || die "NAME must match [a-z0-9-]{1,10} (interface names are short): '$1'"; }

ns_of() { echo "pacto-$1"; }
host_if() { echo "pv-$1-h"; }
ns_if() { echo "pv-$1-n"; }

# Address of the /30 number IDX: .1 host side, .2 namespace side.
addr_of() { # IDX OFFSET
  local base=$(($1 * 4))
  echo "$prefix.$((base / 256)).$((base % 256 + $2))"
}

up() {
  local name="$1" dir idx
  check_name "$name"
  dir="$state_root/$name"
  if [[ -f "$dir/addr" ]] && ip netns list | grep -qw "$(ns_of "$name")"; then
    cat "$dir/addr"
    return 0
  fi
  # Leftovers of a crashed run (namespace without state, or state without namespace).
  down "$name"
  mkdir -p "$dir"
  # Allocation is machine-wide (several state dirs may be in use): take the lowest /30 whose host
  # address is on no interface, under a lock shared by every caller.
  exec 8>/tmp/pacto-e2e-netns.lock
  flock 8
  # Read the addresses once: `ip ... | grep -q` under pipefail fails when grep exits early and
  # ip gets SIGPIPE, which picked an index already in use (two replicas on one address).
  local in_use
  in_use="$(ip -4 -o addr show)"
  for idx in $(seq 0 16383); do
    grep -qF " $(addr_of "$idx" 1)/" <<<"$in_use" || break
  done
  echo "$idx" >"$dir/index"
  local ns hif nif host_ip ns_ip
  ns="$(ns_of "$name")" hif="$(host_if "$name")" nif="$(ns_if "$name")"
  host_ip="$(addr_of "$idx" 1)" ns_ip="$(addr_of "$idx" 2)"
  ip netns add "$ns"
  ip link add "$hif" type veth peer name "$nif"
  ip link set "$nif" netns "$ns"
  ip addr add "$host_ip/30" dev "$hif"
  ip link set "$hif" up
  ip -n "$ns" addr add "$ns_ip/30" dev "$nif"
  ip -n "$ns" link set "$nif" up
  ip -n "$ns" link set lo up
  flock -u 8
  exec 8>&-
  echo "$ns_ip" >"$dir/addr"
  echo "$ns_ip"
}

default_config() {
  cat <<'JSON'
{
  "/health": {"status": 200, "body": "ok\n"},
  "/metrics": {"status": 200, "body": "# HELP up Whether the sample target is up.\n# TYPE up gauge\nup 1\n"}
}
JSON
}

serve() {
  local name="$1" port="$2" config="${3:-}" dir
  check_name "$name"
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number: '$port'"
  dir="$state_root/$name"
  [[ -f "$dir/addr" ]] || die "namespace '$name' is not up (run: $0 up $name)"
  stop_server "$dir" "$port"
  if [[ -n "$config" ]]; then cp "$config" "$dir/$port.json"; else default_config >"$dir/$port.json"; fi
  local ns_ip
  ns_ip="$(cat "$dir/addr")"
  setsid ip netns exec "$(ns_of "$name")" python3 "$here/endpoint_server.py" "$ns_ip" "$port" \
    "$dir/$port.json" >"$dir/$port.log" 2>&1 </dev/null 8>&- &
  echo $! >"$dir/$port.pid"
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null --max-time 1 "http://$ns_ip:$port/"; then
      echo "http://$ns_ip:$port"
      return 0
    fi
    sleep 0.1
  done
  cat "$dir/$port.log" >&2
  die "server in '$name' did not answer on $ns_ip:$port"
}

set_route() {
  local name="$1" port="$2" path="$3" status="$4" body="${5:-}" dir
  dir="$state_root/$name"
  [[ -f "$dir/$port.json" ]] || die "no server on port $port in '$name'"
  python3 - "$dir/$port.json" "$path" "$status" "$body" <<'PY'
import json, os, sys
path, route, status, body = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
with open(path, encoding="utf-8") as f:
    cfg = json.load(f)
cfg[route] = {"status": status, "body": body}
tmp = path + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    json.dump(cfg, f)
os.replace(tmp, path)  # atomic: the server never reads a half-written file
PY
}

stop_server() { # DIR PORT
  local f="$1/$2.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  rm -f "$f"
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q endpoint_server.py; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

down() {
  local name="$1" dir f
  check_name "$name"
  dir="$state_root/$name"
  if [[ -d "$dir" ]]; then
    for f in "$dir"/*.pid; do
      [[ -e "$f" ]] || continue
      stop_server "$dir" "$(basename "$f" .pid)"
    done
  fi
  # Deleting the namespace removes its veth end, which removes the host end too.
  ip netns del "$(ns_of "$name")" 2>/dev/null || true
  ip link del "$(host_if "$name")" 2>/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
up) up "${2:?NAME}" ;;
serve) serve "${2:?NAME}" "${3:?PORT}" "${4:-}" ;;
set) set_route "${2:?NAME}" "${3:?PORT}" "${4:?PATH}" "${5:?STATUS}" "${6:-}" ;;
addr) cat "$state_root/${2:?NAME}/addr" ;;
down) down "${2:?NAME}" ;;
down-all)
  for d in "$state_root"/*/; do [[ -d "$d" ]] && down "$(basename "$d")"; done
  ;;
*) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
