#!/usr/bin/env bash
# One real node for the local control plane (e2e/controlplane/cluster.sh): containerd (Debian's
# 1.6, own root/state/socket), a CNI bridge, kubelet, plus the kube-scheduler the control plane
# lacks, so Deployments get Pods that really run.
#
#   node.sh start [--watch-pid PID]   build (cached), start and wait until the Node is Ready;
#                                      idempotent. The control plane must be running.
#   node.sh stop                      stop kubelet, remove every pod sandbox (CNI DEL), stop
#                                      containerd, unmount, delete the bridge, cgroups, iptables
#                                      chains; idempotent
#   node.sh status                    exit 0 when every component runs and the Node is Ready
#   node.sh check-clean               exit 0 when nothing of the node is left on the host
#   node.sh env                       print the node's env file path
#   node.sh reap                      (watcher) stop if every --watch-pid owner has exited
#
# State lives in $PACTO_E2E_STATE_DIR/node/ (the control plane's state dir, default target/e2e/).
# The kube-controller-manager must run the controllers a node needs:
#   PACTO_E2E_CONTROLLERS="$(e2e/node/node.sh controllers)" e2e/controlplane/cluster.sh start
# Settings: PACTO_E2E_NODE_NAME (pacto-node), PACTO_E2E_NODE_BRIDGE (pacto0),
# PACTO_E2E_NODE_SUBNET (10.244.0.0/24, a /24: the bridge takes .1, Pods .2-.254).
# With --watch-pid, a detached watcher stops the node once every owner has exited, like
# cluster.sh (after a `kill -9` of a test run nothing is left behind). start, stop and reap hold a
# lock on $state/node/lock.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
state="${PACTO_E2E_STATE_DIR:-$target/e2e}"
n="$state/node"
node_name="${PACTO_E2E_NODE_NAME:-pacto-node}"
bridge="${PACTO_E2E_NODE_BRIDGE:-pacto0}"
subnet="${PACTO_E2E_NODE_SUBNET:-10.244.0.0/24}"
gateway="${subnet%.*}.1"
cgroup_root="/pacto-e2e-$node_name"
sock="$n/containerd.sock"
components=(kube-scheduler kubelet containerd) # stop order
PAUSE_IMAGE=pacto.local/pause:1
# The controllers the control plane runs by default (cluster.sh) plus those a node needs: Pods
# for Deployments, the CA ConfigMap mounted into every Pod's token volume, the not-ready taint
# removed once the Node is Ready.
node_controllers="garbagecollector,namespace,serviceaccount,serviceaccount-token,endpointslice,endpointslicemirroring,deployment,replicaset,root-ca-cert-publisher,nodelifecycle"

log() { echo "[e2e-node] $*" >&2; }
lib_dir="$n" lib_cmd_prefix=""
# shellcheck source=e2e/lib.sh
source "$here/../lib.sh"

launch() { # NAME BINARY ARGS...: own process group, PID recorded
  local name="$1"
  shift
  setsid "$@" >"$n/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$n/$name.pid"
}

kc() { kubectl --kubeconfig "$state/kubeconfig" "$@"; }

cri() { "$bin/crictl" --runtime-endpoint "unix://$sock" --image-endpoint "unix://$sock" --timeout 20s "$@"; }

# --- PKI and kubeconfigs ---------------------------------------------------------------------------
node_pki() { # client certs of kubelet and kube-scheduler, signed by the control plane's CA
  local ca="$state/pki" dir="$n/pki"
  mkdir -p "$dir"
  (
    cd "$dir"
    umask 077
    sign() { # NAME SUBJECT; re-signed when the subject changed (another node name, same state)
      [[ -f "$1.crt" && "$(cat "$1.subject" 2>/dev/null)" == "$2" ]] && return 0
      openssl ecparam -name prime256v1 -genkey -noout -out "$1.key" 2>/dev/null
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
      printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
        "extendedKeyUsage=clientAuth" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA "$ca/ca.crt" -CAkey "$ca/ca.key" -CAcreateserial \
        -CAserial "$dir/ca.srl" -sha256 -days 3650 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
      printf '%s' "$2" >"$1.subject"
    }
    sign kubelet "/O=system:nodes/CN=system:node:$node_name"
    sign kube-scheduler "/CN=system:kube-scheduler"
  )
}

kubeconfig() { # CERT-NAME OUTPUT
  local b64ca b64crt b64key
  b64ca="$(base64 -w0 <"$state/pki/ca.crt")"
  b64crt="$(base64 -w0 <"$n/pki/$1.crt")"
  b64key="$(base64 -w0 <"$n/pki/$1.key")"
  (
    umask 077
    cat >"$2" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: pacto-e2e
  cluster:
    server: $PACTO_E2E_APISERVER
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
  )
}

# --- network ---------------------------------------------------------------------------------------
setup_network() {
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
  fi
  ip addr replace "$gateway/24" dev "$bridge"
  ip link set "$bridge" up
  mkdir -p "$n/cni/net.d" "$n/cni/ipam"
  # No ipMasq and no portmap: the CNI plugins add no iptables rule. Pods reach the host and each
  # other through the bridge; the host reaches Pods at their IPs.
  cat >"$n/cni/net.d/10-pacto.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "pacto-e2e-$node_name",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$n/cni/ipam",
        "ranges": [[{"subnet": "$subnet", "gateway": "$gateway"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "loopback"}
  ]
}
JSON
}

# --- cgroups ---------------------------------------------------------------------------------------
cgroup_dirs() { # every directory of this node's cgroup root, one per v1 hierarchy
  local h
  for h in /sys/fs/cgroup/*/; do
    # v1 hierarchies, and the v2 "unified" one that runc mirrors them into
    [[ "$(stat -f -c %T "$h" 2>/dev/null)" == cgroup* ]] || continue
    echo "${h%/}$cgroup_root"
  done
}

setup_cgroups() {
  local d
  for d in $(cgroup_dirs); do
    mkdir -p "$d"
    if [[ "$d" == /sys/fs/cgroup/cpuset/* ]]; then
      cat /sys/fs/cgroup/cpuset/cpuset.cpus >"$d/cpuset.cpus"
      cat /sys/fs/cgroup/cpuset/cpuset.mems >"$d/cpuset.mems"
    fi
  done
}

remove_cgroups() { # deepest first; a cgroup with a live process stays (reported by check-clean)
  local d
  for d in $(cgroup_dirs); do
    [[ -d "$d" ]] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

# --- containerd ------------------------------------------------------------------------------------
containerd_config() {
  mkdir -p "$n/containerd/root" "$n/containerd/state" "$n/containerd/opt"
  cat >"$n/containerd/config.toml" <<TOML
version = 2
root = "$n/containerd/root"
state = "$n/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "$sock"

[ttrpc]
  address = "$sock.ttrpc"

[debug]
  address = ""

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "$n/containerd/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  # This sandbox lacks CAP_SYS_RESOURCE: a negative oom_score_adj (kubelet asks for one) cannot
  # be set, so containerd clamps it to its own.
  restrict_oom_score_adj = true
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  max_container_log_line_size = 16384

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$n/containerd/runc"

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$n/cni/net.d"
    max_conf_num = 1

  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$n/containerd/certs.d"
TOML
}

containerd_ready() { ctr -a "$sock" version >/dev/null 2>&1; }

# --- kubelet ---------------------------------------------------------------------------------------
kubelet_config() {
  local port="$1" healthz_port="$2"
  cat >"$n/kubelet-config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# cgroup v1 host: kubelet 1.35 refuses to start on it without this.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: true
# Every Pod cgroup lives under this root, removed at teardown.
cgroupRoot: $cgroup_root
failSwapOn: false
address: $gateway
port: $port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $healthz_port
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $state/pki/ca.crt
authorization:
  mode: Webhook
containerRuntimeEndpoint: unix://$sock
imageServiceEndpoint: unix://$sock
podLogsDir: $n/pod-logs
volumePluginDir: $n/kubelet-plugins
# The disks of these machines are often more than 85 % full: eviction only when nearly empty,
# image GC never (the images are local, nothing could pull them back).
evictionHard:
  memory.available: 100Mi
  nodefs.available: 512Mi
  imagefs.available: 512Mi
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# No KUBE-IPTABLES-HINT / canary chains: the node leaves iptables untouched.
makeIPTablesUtilChains: false
serializeImagePulls: false
registerNode: true
rotateCertificates: false
maxPods: 50
# Fast feedback for tests: ConfigMap/Secret volumes and probes.
syncFrequency: 10s
nodeStatusUpdateFrequency: 5s
YAML
}

node_ready() {
  [[ "$(kc get node "$node_name" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

node_untainted() {
  ! kc get node "$node_name" -o 'jsonpath={.spec.taints[*].key}' 2>/dev/null | grep -q not-ready
}

scheduler_ready() { curl -kfs --max-time 1 "https://127.0.0.1:$(cat "$n/scheduler.port")/healthz" -o /dev/null; }

# Host paths kubelet, containerd and the CNI plugins create whatever their configured dirs are
# (kubelet's device-plugin socket dir is fixed, so are CNI's result cache, containerd's shim socket
# dir and netns dir, kubelet's /var/log/containers symlinks). Those that did not exist before the
# first start are recorded and removed again (when empty) at stop.
host_dirs=(/var/lib/kubelet /var/lib/cni /var/log/containers /run/containerd /var/run/netns)

record_host_dirs() {
  local d
  touch "$n/created-dirs"
  for d in "${host_dirs[@]}"; do
    [[ -e "$d" ]] || grep -qxF "$d" "$n/created-dirs" || echo "$d" >>"$n/created-dirs"
  done
}

remove_host_dirs() {
  local d
  [[ -f "$n/created-dirs" ]] || return 0
  while read -r d; do
    [[ -n "$d" && -d "$d" ]] || continue
    [[ "$d" == /var/lib/kubelet ]] && rm -f "$d/device-plugins/kubelet.sock"
    find "$d" -depth -type d -empty -delete 2>/dev/null || true
  done <"$n/created-dirs"
}

all_running() {
  local c
  for c in "${components[@]}"; do [[ -n "$(pid_of "$c")" ]] || return 1; done
}

start() {
  local watch_pid=""
  if [[ "${1:-}" == "--watch-pid" ]]; then watch_pid="${2:?--watch-pid needs a PID}"; fi
  [[ -f "$state/env" ]] || { log "the control plane is not running (no $state/env): start e2e/controlplane/cluster.sh first"; exit 1; }
  # shellcheck disable=SC1091
  source "$state/env"
  mkdir -p "$n"
  bin="$("$here/build.sh" | tail -n 1)"
  if all_running && node_ready; then
    log "already running (node $node_name)"
  else
    stop_all quiet
    local t0=$SECONDS
    "$here/deps.sh"
    node_pki
    kubeconfig kubelet "$n/kubelet.kubeconfig"
    kubeconfig kube-scheduler "$n/scheduler.kubeconfig"
    record_host_dirs
    setup_network
    setup_cgroups
    containerd_config
    launch containerd containerd --config "$n/containerd/config.toml"
    wait_for containerd 30 containerd_ready || { stop_all; exit 1; }
    "$here/images.sh" import "$sock" || { stop_all; exit 1; }

    local port healthz_port
    port="$(free_port)" healthz_port="$(free_port)"
    kubelet_config "$port" "$healthz_port"
    mkdir -p "$n/kubelet" "$n/pod-logs" "$n/kubelet-pki"
    launch kubelet "$bin/kubelet" --config "$n/kubelet-config.yaml" \
      --kubeconfig "$n/kubelet.kubeconfig" --hostname-override "$node_name" \
      --node-ip "$gateway" --root-dir "$n/kubelet" --cert-dir "$n/kubelet-pki" --v=1
    wait_for kubelet 120 node_ready || { stop_all; exit 1; }

    local sched_port
    sched_port="$(free_port)"
    echo "$sched_port" >"$n/scheduler.port"
    launch kube-scheduler "$bin/kube-scheduler" --kubeconfig "$n/scheduler.kubeconfig" \
      --authentication-kubeconfig "$n/scheduler.kubeconfig" \
      --authorization-kubeconfig "$n/scheduler.kubeconfig" \
      --bind-address 127.0.0.1 --secure-port "$sched_port" --leader-elect=false --profiling=false
    wait_for kube-scheduler 60 scheduler_ready || { stop_all; exit 1; }
    if ! wait_for kubelet 30 node_untainted; then
      log "node $node_name keeps its not-ready taint: run the control plane with PACTO_E2E_CONTROLLERS=\"$node_controllers\""
      stop_all
      exit 1
    fi
    cat >"$n/env" <<ENV
export PACTO_E2E_NODE_NAME=$node_name
export PACTO_E2E_NODE_CRI=unix://$sock
export PACTO_E2E_NODE_SUBNET=$subnet
export PACTO_E2E_NODE_DEMO_IMAGE=pacto.local/demo-service:1
export PACTO_E2E_NODE_BIN=$bin
ENV
    log "node $node_name ready in $((SECONDS - t0)) s (pods on $bridge $subnet)"
  fi
  if [[ -n "$watch_pid" ]]; then
    echo "$watch_pid" >>"$n/owners"
    local w=""
    [[ -f "$n/watcher.pid" ]] && w="$(cat "$n/watcher.pid")"
    if [[ -z "$w" ]] || ! alive "$w"; then
      # shellcheck disable=SC2016 # expanded by the inner bash
      setsid bash -c 'until "$0" reap; do sleep 1; done' "$here/node.sh" \
        >>"$n/watcher.log" 2>&1 </dev/null 9>&- &
      echo $! >"$n/watcher.pid"
    fi
  fi
  echo "$n/env"
}

stop_one() { # NAME [SECONDS]: SIGTERM, then SIGKILL
  local name="$1" pid
  pid="$(pid_of "$name")"
  rm -f "$n/$name.pid"
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$((${2:-10} * 10))"); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name ($pid) ignored SIGTERM; killing"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive "$pid" || return 0
    sleep 0.1
  done
  log "$name ($pid) still alive after SIGKILL"
}

shim_pids() { # containerd-shim-runc-v2 processes of this node's containerd
  local p
  for p in $(pgrep -f containerd-shim-runc-v2 2>/dev/null); do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "-address $sock " && echo "$p"
  done
  return 0
}

our_mounts() { # mount points under the node's state dir, deepest first
  awk -v d="$n/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

netns_of_sandboxes() { # network namespaces (bind mounts) of every sandbox containerd knows
  local id
  containerd_ready || return 0
  for id in $(ctr -a "$sock" -n k8s.io containers ls -q 2>/dev/null); do
    ctr -a "$sock" -n k8s.io containers info "$id" 2>/dev/null |
      python3 -c 'import json,sys
for ns in json.load(sys.stdin).get("Spec", {}).get("linux", {}).get("namespaces", []):
    if ns.get("type") == "network" and ns.get("path"): print(ns["path"])' 2>/dev/null || true
  done | sort -u
}

sandbox_ids() { # ids of every sandbox/container: live shims' -id, containerd's state dirs
  local p
  for p in $(shim_pids); do
    tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | sed -n '/^-id$/{n;p;}'
  done
  ls "$n/containerd/state/io.containerd.runtime.v2.task/k8s.io" \
    "$n/containerd/root/io.containerd.grpc.v1.cri/sandboxes" 2>/dev/null | grep -E '^[0-9a-f]{64}$'
  return 0
}

kill_cgroup_procs() { # SIGKILL every process left in this node's cgroups (containers outlive a killed shim)
  local d pids
  for _ in $(seq 1 50); do
    pids=""
    for d in $(cgroup_dirs); do
      [[ -d "$d" ]] && pids+=" $(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null | tr '\n' ' ')"
    done
    [[ -n "${pids// /}" ]] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  log "processes still in $cgroup_root after SIGKILL: $pids"
}

our_netns() { # /var/run/netns/cni-* whose interface has an address in our Pod subnet
  local f
  for f in /var/run/netns/cni-*; do
    [[ -e "$f" ]] || continue
    ip netns exec "$(basename "$f")" ip -o -4 addr show 2>/dev/null | grep -qF " ${subnet%.*}." && echo "$f"
  done
  return 0
}

stop_all() {
  local any="" c
  for c in "${components[@]}"; do [[ -n "$(pid_of "$c")" ]] && any=1; done
  bin="${bin:-$("$here/build.sh" --dir)}"
  stop_one kube-scheduler
  stop_one kubelet 20
  if [[ -n "$(pid_of containerd)" ]] && containerd_ready; then
    # Pod sandboxes through CRI, so the CNI DEL runs (veth, IPAM); then whatever is left, by ctr.
    local netns
    netns="$(netns_of_sandboxes)"
    echo "$netns" >"$n/netns.list"
    if [[ -x "$bin/crictl" ]]; then
      cri stopp $(cri pods -q 2>/dev/null) >/dev/null 2>&1 || true
      cri rmp -f $(cri pods -q 2>/dev/null) >/dev/null 2>&1 || true
    fi
    local id
    for id in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$sock" -n k8s.io tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    sleep 0.5
    for id in $(ctr -a "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr -a "$sock" -n k8s.io tasks delete -f "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr -a "$sock" -n k8s.io containers ls -q 2>/dev/null); do
      ctr -a "$sock" -n k8s.io containers delete "$id" >/dev/null 2>&1 || true
    done
  fi
  stop_one containerd 20
  # Shims outlive containerd by design: end ours, then the container processes, which outlive a
  # killed shim.
  local p ids
  ids="$(sandbox_ids | sort -u)"
  for p in $(shim_pids); do kill -KILL "$p" 2>/dev/null || true; done
  kill_cgroup_procs
  # What a shim or the CNI cache leave of a sandbox that went without its normal teardown:
  # the shim socket (/run/containerd/s/sha256(<containerd address>/<ns>/<id>)), libcni results.
  for p in $ids; do
    rm -f "/run/containerd/s/$(printf '%s' "$sock/k8s.io/$p" | sha256sum | cut -d' ' -f1)" \
      /var/lib/cni/results/*-"$p"-* 2>/dev/null || true
  done
  # Network namespaces of sandboxes that the CRI teardown did not remove (kubelet or containerd
  # were killed): unmounting the last reference deletes the namespace and its veth end.
  if [[ -f "$n/netns.list" ]]; then
    while read -r p; do
      [[ -n "$p" && -e "$p" ]] || continue
      umount "$p" 2>/dev/null || umount -l "$p" 2>/dev/null || true
      rm -f "$p"
    done <"$n/netns.list"
  fi
  # ... and those containerd could not be asked about (it was killed): found by their Pod address.
  for p in $(our_netns); do umount "$p" 2>/dev/null || umount -l "$p" 2>/dev/null || true; rm -f "$p"; done
  for p in $(our_mounts); do umount "$p" 2>/dev/null || umount -l "$p" 2>/dev/null || true; done
  if ip link show "$bridge" >/dev/null 2>&1; then
    # veths still enslaved to the bridge (their namespace outlived us): delete the host end.
    for p in $(ip -o link show master "$bridge" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
      ip link delete "$p" 2>/dev/null || true
    done
    ip link delete "$bridge" 2>/dev/null || true
  fi
  remove_cgroups
  # kubelet's log symlinks for our Pods (it removes them itself when it removes the containers).
  for p in /var/log/containers/*.log; do
    [[ -L "$p" && "$(readlink "$p")" == "$n/"* ]] && rm -f "$p"
  done
  # Chains kubelet makes when makeIPTablesUtilChains is on (off here; swept in case).
  local t ch
  for t in filter nat mangle; do
    for ch in KUBE-IPTABLES-HINT KUBE-KUBELET-CANARY; do
      iptables -t "$t" -F "$ch" 2>/dev/null && iptables -t "$t" -X "$ch" 2>/dev/null || true
    done
  done
  # libcni's result cache of our network (left when a sandbox went without a CNI DEL).
  rm -f /var/lib/cni/results/"pacto-e2e-$node_name"-* 2>/dev/null || true
  remove_host_dirs
  # Mounts are gone: the state (images, containers, IPAM) can go too, next start is fresh.
  if [[ -z "$(our_mounts)" ]]; then
    rm -rf "$n/containerd" "$n/kubelet" "$n/cni" "$n/pod-logs" "$n/kubelet-plugins"
  fi
  rm -f "$n/env" "$n/netns.list" "$sock" "$sock.ttrpc"
  [[ "${1:-}" == quiet || -z "$any" ]] || log "stopped"
}

# check-clean: exit 0 when nothing of this node is left, else print what is.
check_clean() {
  local left=0 c p
  for c in "${components[@]}"; do
    if [[ -n "$(pid_of "$c")" ]]; then echo "process: $c $(pid_of "$c")"; left=1; fi
  done
  for p in $(shim_pids); do echo "process: shim $p"; left=1; done
  for p in $(pgrep -f "$n/" 2>/dev/null); do
    [[ "$p" == "$$" || "$p" == "$BASHPID" ]] && continue
    alive "$p" && { echo "process: $p $(tr '\0' ' ' <"/proc/$p/cmdline")"; left=1; }
  done
  for p in $(our_mounts); do echo "mount: $p"; left=1; done
  for p in $(our_netns); do echo "netns: $p"; left=1; done
  if ip link show "$bridge" >/dev/null 2>&1; then echo "link: $bridge"; left=1; fi
  if ip -o link show type veth 2>/dev/null | grep -q "master $bridge"; then
    echo "veth on $bridge"
    left=1
  fi
  for p in $(cgroup_dirs); do [[ -d "$p" ]] && { echo "cgroup: $p"; left=1; }; done
  if iptables-save 2>/dev/null | grep -E "KUBE-|CNI-|$bridge|${subnet%.*}\." | grep -q .; then
    echo "iptables:"
    iptables-save | grep -E "KUBE-|CNI-|$bridge|${subnet%.*}\."
    left=1
  fi
  for p in /var/log/containers/*.log; do
    [[ -L "$p" && "$(readlink "$p")" == "$n/"* ]] && { echo "log symlink: $p"; left=1; }
  done
  for p in /var/lib/cni/results/"pacto-e2e-$node_name"-*; do
    [[ -e "$p" ]] && { echo "CNI cache: $p"; left=1; }
  done
  if [[ -f "$n/created-dirs" ]]; then
    while read -r p; do
      [[ -n "$p" && -e "$p" ]] && { echo "host dir created by the node: $p"; left=1; }
    done <"$n/created-dirs"
  fi
  return "$left"
}

stop() {
  stop_all
  rm -f "$n/owners"
}

case "${1:-}" in
start) shift; locked start "$@" ;;
stop) locked stop ;;
reap) locked reap ;;
status) all_running && node_ready ;;
check-clean) check_clean ;;
controllers) echo "$node_controllers" ;;
env) echo "$n/env" ;;
*)
  echo "usage: $0 start [--watch-pid PID] | stop | status | check-clean | controllers | env | reap" >&2
  exit 2
  ;;
esac
