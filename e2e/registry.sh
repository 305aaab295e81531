#!/usr/bin/env bash
# Starts/stops two real OCI registries (Debian `docker-registry`, distribution 2.8) on
# 127.0.0.1 for tests: one anonymous, one with htpasswd (bcrypt) basic auth.
#
#   e2e/registry.sh start [STATE_DIR]   # idempotent; prints the env file path
#   e2e/registry.sh stop  [STATE_DIR]   # kills by PID, removes STATE_DIR
#   e2e/registry.sh status [STATE_DIR]  # exit 0 when both answer
#
# STATE_DIR defaults to $PACTO_REGISTRY_STATE_DIR, else ${TMPDIR:-/tmp}/pacto-e2e-registry.
# PACTO_E2E_REGISTRY_HOST: the address to bind (default 127.0.0.1).
# Credentials of the auth instance: $PACTO_E2E_REGISTRY_USER / $PACTO_E2E_REGISTRY_PASS
# (defaults pacto / pacto-secret). The env file ($STATE_DIR/env) holds:
#   PACTO_E2E_REGISTRY=127.0.0.1:<port>        anonymous instance
#   PACTO_E2E_AUTH_REGISTRY=127.0.0.1:<port>   htpasswd instance
#   PACTO_E2E_REGISTRY_USER=... PACTO_E2E_REGISTRY_PASS=...
# Exit code 3 means docker-registry is missing and could not be installed.
set -euo pipefail

cmd="${1:-}"
state="${2:-${PACTO_REGISTRY_STATE_DIR:-${TMPDIR:-/tmp}/pacto-e2e-registry}}"
user="${PACTO_E2E_REGISTRY_USER:-pacto}"
pass="${PACTO_E2E_REGISTRY_PASS:-pacto-secret}"
# The address both instances bind (default loopback). `make up` on the real node uses the node's
# bridge gateway, the one host address its Pods reach.
host="${PACTO_E2E_REGISTRY_HOST:-127.0.0.1}"

die() { echo "registry.sh: $*" >&2; exit 1; }

ensure_installed() {
  command -v docker-registry >/dev/null && command -v htpasswd >/dev/null && return 0
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || {
      echo "registry.sh: docker-registry is not installed and apt needs root" >&2; exit 3; }
    sudo=(sudo -n)
  fi
  echo "registry.sh: installing docker-registry apache2-utils" >&2
  if ! { "${sudo[@]}" apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
           --no-install-recommends docker-registry apache2-utils >/dev/null; }; then
    echo "registry.sh: apt-get could not install docker-registry" >&2
    exit 3
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# PID alive and really a docker-registry we started (PIDs can be reused).
alive() {
  local pidfile=$1 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q docker-registry
}

# Waits until /v2/ answers with the expected HTTP status (200 anon, 401 auth), max 10 s.
wait_ready() {
  local port=$1 want=$2 pidfile=$3 code
  for _ in $(seq 1 100); do
    alive "$pidfile" || return 1
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$host:$port/v2/" || true)
    [[ $code == "$want" ]] && return 0
    sleep 0.1
  done
  return 1
}

write_config() {
  local dir=$1 port=$2 auth=$3
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $dir/data}"
    echo "  delete: {enabled: true}"
    echo "http:"
    echo "  addr: $host:$port"
    echo "  secret: pacto-e2e-$(basename "$dir")-$port"
    if [[ $auth == yes ]]; then
      echo "auth:"
      echo "  htpasswd: {realm: pacto-e2e, path: $dir/htpasswd}"
    fi
  } >"$dir/config.yml"
}

# start_one NAME AUTH(yes|no) EXPECTED_STATUS -> echoes the port
start_one() {
  local name=$1 auth=$2 want=$3 dir="$state/$1" port
  mkdir -p "$dir"
  if [[ $auth == yes ]]; then
    htpasswd -Bbn "$user" "$pass" >"$dir/htpasswd"
  fi
  # The port is picked before the server binds it; retry if another process took it.
  for _ in 1 2 3; do
    port=$(free_port)
    write_config "$dir" "$port" "$auth"
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/pid"
    echo "$port" >"$dir/port"
    if wait_ready "$port" "$want" "$dir/pid"; then
      echo "$port"
      return 0
    fi
    # Our own child, just started: kill it by PID directly. stop_one's liveness check reads
    # /proc, which can still show the forking shell and would leave the server running.
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
  done
  die "$name registry did not become ready; log: $(tail -5 "$dir/registry.log" 2>/dev/null)"
}

stop_one() {
  local dir="$state/$1" pid
  if alive "$dir/pid"; then
    pid=$(<"$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
}

status() {
  alive "$state/anon/pid" && alive "$state/auth/pid" && [[ -f $state/env ]] || return 1
  local a b
  a=$(<"$state/anon/port"); b=$(<"$state/auth/port")
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$host:$a/v2/") == 200 ]] &&
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$host:$b/v2/") == 401 ]]
}

case "$cmd" in
  start)
    if status; then
      echo "$state/env"
      exit 0
    fi
    ensure_installed
    command -v curl >/dev/null || die "curl is required"
    command -v python3 >/dev/null || die "python3 is required (to pick free ports)"
    # A half-started previous instance is cleaned first so start is idempotent.
    stop_one anon; stop_one auth
    mkdir -p "$state"
    anon=$(start_one anon no 200)
    auth=$(start_one auth yes 401)
    tmp="$state/env.tmp.$$"
    {
      echo "PACTO_E2E_REGISTRY=$host:$anon"
      echo "PACTO_E2E_AUTH_REGISTRY=$host:$auth"
      echo "PACTO_E2E_REGISTRY_USER=$user"
      echo "PACTO_E2E_REGISTRY_PASS=$pass"
      echo "PACTO_E2E_REGISTRY_DIR=$state"
    } >"$tmp"
    mv "$tmp" "$state/env"
    echo "$state/env"
    ;;
  stop)
    stop_one anon; stop_one auth
    # Only remove a directory that looks like ours.
    if [[ -d $state && ( -d $state/anon || -d $state/auth || -f $state/env ) ]]; then
      rm -rf "$state"
    fi
    ;;
  status)
    status
    ;;
  *)
    echo "usage: $0 start|stop|status [STATE_DIR]" >&2
    exit 2
    ;;
esac
