#!/usr/bin/env bash
# Local Kubernetes control plane: etcd + kube-apiserver + kube-controller-manager on 127.0.0.1.
#
#   cluster.sh start [--watch-pid PID]   build (cached) and start; idempotent
#   cluster.sh stop                      stop by PID and wait; idempotent
#   cluster.sh status                    exit 0 when the apiserver is ready
#   cluster.sh env                       print the env file path
#   cluster.sh reap                      (watcher) stop if every --watch-pid owner has exited
#   cluster.sh kill COMPONENT            SIGKILL one component (fault injection) and wait
#   cluster.sh start-component COMPONENT relaunch a killed component with its recorded
#                                        arguments (same ports, certs, data dir) and wait ready
#   cluster.sh restart COMPONENT         kill, then start-component
#
# PACTO_E2E_CRDS (space-separated YAML files) are applied before the controller-manager starts.
# Opt-in, for Pods on a real node (e2e/node/chart.sh): PACTO_E2E_APISERVER_BIND=0.0.0.0 (the
# apiserver's --bind-address; default 127.0.0.1), PACTO_E2E_APISERVER_SANS=IP:10.244.0.1 (more SANs
# in its serving cert, see pki.sh), PACTO_E2E_KUBELET_CLIENT=1 (a client cert towards kubelets:
# kubectl logs/exec/port-forward).
# PACTO_E2E_AUDIT=1: kube-apiserver writes an audit log of every request (metadata level) to
# $state/audit.log (benchmarks count a client's requests at the server with it).
# State lives in $PACTO_E2E_STATE_DIR (default target/e2e/): pki/, etcd data, logs, *.pid,
# `kubeconfig` (admin, system:masters) and `env` (KUBECONFIG=..., ports). With --watch-pid, PID is
# recorded as an owner and a detached watcher stops the control plane once every owner has exited
# (test binaries pass their own PID, so nothing is left behind even when one is killed). start,
# stop and reap hold a lock on $state/lock, so a new owner never races a watcher that is stopping.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
state="${PACTO_E2E_STATE_DIR:-$target/e2e}"
controllers="${PACTO_E2E_CONTROLLERS:-garbagecollector,namespace,serviceaccount,serviceaccount-token,endpointslice,endpointslicemirroring}"
components=(kube-controller-manager kube-apiserver etcd) # stop order

log() { echo "[e2e-cluster] $*" >&2; }
lib_dir="$state" lib_cmd_prefix=/
# shellcheck source=e2e/lib.sh
source "$here/../lib.sh"

ready() {
  [[ -f "$state/env" ]] || return 1
  # shellcheck disable=SC1091
  source "$state/env"
  curl -fsS --max-time 2 --cacert "$state/pki/ca.crt" --cert "$state/pki/admin.crt" \
    --key "$state/pki/admin.key" "$PACTO_E2E_APISERVER/readyz" >/dev/null 2>&1
}

launch() { # NAME ARGS... : start in the background, own process group, PID recorded
  local name="$1"
  shift
  # The command line, NUL-separated, so start-component can replay it exactly.
  printf '%s\0' "$bin/$name" "$@" >"$state/$name.args"
  # 9>&-: the component must not inherit (and so hold) the state lock.
  setsid "$bin/$name" "$@" >"$state/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$state/$name.pid"
}

known_component() {
  local c
  for c in "${components[@]}"; do [[ "$c" == "$1" ]] && return 0; done
  log "unknown component '$1' (one of: ${components[*]})"
  return 2
}

kill_component() { # NAME: SIGKILL (no graceful shutdown), wait until it is gone
  local name="$1" pid
  known_component "$name" || return 2
  pid="$(pid_of "$name")"
  [[ -n "$pid" ]] || { log "$name is not running"; return 0; }
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$pid" || { log "$name ($pid) killed"; return 0; }
    sleep 0.1
  done
  log "$name ($pid) still alive 10 s after SIGKILL"
  return 1
}

component_ready() { # NAME: the component answers its health endpoint
  # shellcheck disable=SC1091
  source "$state/env"
  case "$1" in
  etcd) curl -fs --max-time 1 "$PACTO_E2E_ETCD/health" -o /dev/null ;;
  kube-apiserver) ready ;;
  kube-controller-manager) curl -kfs --max-time 1 "$PACTO_E2E_CONTROLLER_MANAGER/healthz" -o /dev/null ;;
  esac
}

start_component() { # NAME: relaunch with the recorded arguments, wait until ready
  local name="$1" args=()
  known_component "$name" || return 2
  [[ -f "$state/$name.args" && -f "$state/env" ]] ||
    { log "$name was never launched from $state"; return 1; }
  if [[ -n "$(pid_of "$name")" ]]; then
    log "$name already running"
  else
    mapfile -d '' args <"$state/$name.args"
    # Appends to the log: the lines before the fault stay readable.
    echo "[e2e-cluster] relaunched at $(date -u +%FT%TZ)" >>"$state/$name.log"
    setsid "${args[@]}" >>"$state/$name.log" 2>&1 </dev/null 9>&- &
    echo $! >"$state/$name.pid"
  fi
  wait_for "$name" 90 component_ready "$name"
  log "$name ready"
}

kubeconfig() { # USER-CERT-NAME OUTPUT
  local b64ca b64crt b64key
  b64ca="$(base64 -w0 <"$state/pki/ca.crt")"
  b64crt="$(base64 -w0 <"$state/pki/$1.crt")"
  b64key="$(base64 -w0 <"$state/pki/$1.key")"
  umask 077
  cat >"$2" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: pacto-e2e
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $b64ca
users:
- name: $1
  user:
    client-certificate-data: $b64crt
    client-key-data: $b64key
contexts:
- name: pacto-e2e
  context:
    cluster: pacto-e2e
    user: $1
current-context: pacto-e2e
YAML
}

all_running() {
  local c
  for c in "${components[@]}"; do [[ -n "$(pid_of "$c")" ]] || return 1; done
}

start() {
  local watch_pid=""
  if [[ "${1:-}" == "--watch-pid" ]]; then watch_pid="${2:?--watch-pid needs a PID}"; fi
  mkdir -p "$state"
  if all_running && ready; then
    log "already running ($PACTO_E2E_APISERVER)"
  else
    stop_all quiet
    bin="$("$here/build.sh" | tail -n 1)"
    "$here/pki.sh" "$state/pki"
    rm -rf "$state/etcd-data" "$state/env"
    local etcd_port etcd_peer cm_port t0=$SECONDS
    etcd_port="$(free_port)" etcd_peer="$(free_port)" api_port="$(free_port)" cm_port="$(free_port)"

    launch etcd --name pacto-e2e --data-dir "$state/etcd-data" --logger=zap --log-level=warn \
      --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
      --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
      --initial-cluster "pacto-e2e=http://127.0.0.1:$etcd_peer" --listen-metrics-urls "" \
      --unsafe-no-fsync
    wait_for etcd 30 curl -fs --max-time 1 "http://127.0.0.1:$etcd_port/health" -o /dev/null || { stop_all; exit 1; }

    local pki="$state/pki" audit=()
    if [[ "${PACTO_E2E_AUDIT:-}" == 1 ]]; then
      printf '%s\n' 'apiVersion: audit.k8s.io/v1' 'kind: Policy' 'omitStages: ["RequestReceived"]' \
        'rules:' '- level: Metadata' >"$state/audit-policy.yaml"
      rm -f "$state/audit.log"
      audit=(--audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$state/audit.log"
        --audit-log-format json --audit-log-maxsize 0)
    fi
    local kubelet_client=()
    if [[ "${PACTO_E2E_KUBELET_CLIENT:-}" == 1 ]]; then
      # kubectl logs/exec/port-forward through a real kubelet (e2e/node). The kubelet's serving
      # cert is self-signed: no --kubelet-certificate-authority, so it is not verified. The Node's
      # InternalIP, not its hostname (no DNS here).
      kubelet_client=(--kubelet-client-certificate "$pki/apiserver-kubelet-client.crt"
        --kubelet-client-key "$pki/apiserver-kubelet-client.key"
        --kubelet-preferred-address-types InternalIP)
    fi
    launch kube-apiserver "${audit[@]}" "${kubelet_client[@]}" --etcd-servers "http://127.0.0.1:$etcd_port" \
      --bind-address "${PACTO_E2E_APISERVER_BIND:-127.0.0.1}" --advertise-address 127.0.0.1 --secure-port "$api_port" \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
      --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
      --service-account-issuer https://kubernetes.default.svc.cluster.local \
      --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
      --api-audiences https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range 10.0.0.0/24 --allow-privileged=true --profiling=false \
      --endpoint-reconciler-type none \
      --cert-dir "$state/apiserver-certs"
    cat >"$state/env" <<ENV
export KUBECONFIG=$state/kubeconfig
export PACTO_E2E_KUBECONFIG=$state/kubeconfig
export PACTO_E2E_APISERVER=https://127.0.0.1:$api_port
export PACTO_E2E_ETCD=http://127.0.0.1:$etcd_port
export PACTO_E2E_STATE_DIR=$state
ENV
    kubeconfig admin "$state/kubeconfig"
    kubeconfig controller-manager "$state/controller-manager.kubeconfig"
    wait_for kube-apiserver 90 ready || { stop_all; exit 1; }

    if [[ -n "${PACTO_E2E_CRDS:-}" ]]; then
      # Installed before the controller-manager starts, so its garbage collector knows these
      # kinds at once instead of after its 30 s discovery resync.
      # shellcheck disable=SC2086,SC1091 # a space-separated list of files; env is generated
      (source "$state/env" && python3 "$here/../kapply.py" --wait-established $PACTO_E2E_CRDS >&2) ||
        { stop_all; exit 1; }
    fi
    local cmk="$state/controller-manager.kubeconfig"
    launch kube-controller-manager --kubeconfig "$cmk" \
      --authentication-kubeconfig "$cmk" --authorization-kubeconfig "$cmk" \
      --bind-address 127.0.0.1 --secure-port "$cm_port" --cert-dir "$state/cm-certs" \
      --leader-elect=false --controllers "$controllers" \
      --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
      --use-service-account-credentials=true --profiling=false \
      --kube-api-qps 200 --kube-api-burst 400
    echo "export PACTO_E2E_CONTROLLER_MANAGER=https://127.0.0.1:$cm_port" >>"$state/env"
    wait_for kube-controller-manager 60 curl -kfs --max-time 1 "https://127.0.0.1:$cm_port/healthz" -o /dev/null ||
      { stop_all; exit 1; }
    log "ready in $((SECONDS - t0)) s: https://127.0.0.1:$api_port, KUBECONFIG=$state/kubeconfig"
  fi
  if [[ -n "$watch_pid" ]]; then
    echo "$watch_pid" >>"$state/owners"
    local w=""
    [[ -f "$state/watcher.pid" ]] && w="$(cat "$state/watcher.pid")"
    if [[ -z "$w" ]] || ! alive "$w"; then
      # Detached watcher: asks `reap` every second; reap stops everything once no owner is left.
      # shellcheck disable=SC2016 # expanded by the inner bash
      setsid bash -c 'until "$0" reap; do sleep 1; done' "$here/cluster.sh" \
        >>"$state/watcher.log" 2>&1 </dev/null 9>&- &
      echo $! >"$state/watcher.pid"
    fi
  fi
  echo "$state/env"
}

stop_one() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  rm -f "$state/$name.pid"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name ($pid) ignored SIGTERM for 10 s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name ($pid) still alive after SIGKILL"
}

stop_all() {
  local c any=""
  for c in "${components[@]}"; do
    [[ -n "$(pid_of "$c")" ]] && any=1
    stop_one "$c"
  done
  rm -f "$state/env"
  [[ "${1:-}" == quiet || -z "$any" ]] || log "stopped"
}

stop() {
  stop_all
  rm -f "$state/owners"
}

case "${1:-}" in
start) shift; locked start "$@" ;;
stop) locked stop ;;
reap) locked reap ;;
kill) locked kill_component "${2:?kill needs a component}" ;;
start-component) locked start_component "${2:?start-component needs a component}" ;;
restart) locked kill_component "${2:?restart needs a component}" && locked start_component "$2" ;;
status) all_running && ready ;;
env) echo "$state/env" ;;
*)
  echo "usage: $0 start [--watch-pid PID] | stop | status | env | reap | kill C | start-component C | restart C" >&2
  exit 2
  ;;
esac
