# shellcheck shell=bash
# The operator, installed by chart.sh, against real Pods: sourced by chart.sh once the example
# Pactos converged. Each function is one scenario of issue 16's list; they use chart.sh's
# variables (ns, ex, release, HELM, state, gateway, sel, sa_user, image) and helpers (ok, fail,
# wait_until, now, since, pac, status_of, holder).

cond_of() { # PACTO TYPE: "<status> <reason>"
  pac "$1" -o "jsonpath={.status.conditions[?(@.type==\"$2\")].status} {.status.conditions[?(@.type==\"$2\")].reason}" 2>/dev/null
}
health_replicas() { # PACTO: "<passing>/<probed>"
  pac "$1" -o 'jsonpath={.status.endpoints.health.replicasPassing}/{.status.endpoints.health.replicasProbed}' 2>/dev/null
}
is() { [[ "$("${@:2}")" == "$1" ]]; } # WANT COMMAND...: the command prints exactly WANT

# Scaled 1 -> 2: each replica is probed at its Pod IP. One Pod's /health fails (readiness stays
# on /ready, so it stays an endpoint) -> the probe threshold (PACTO_PROBE_THRESHOLD rounds) ->
# HealthEndpointValid False and Warning (health endpoints are warning severity: the workload still
# serves) -> healed -> Compliant 2/2.
scenario_replicas() {
  local t0 pod1
  t0="$(now)"
  kubectl -n "$ex" scale deploy/order-service --replicas 2 >/dev/null
  if wait_until 60 is 2/2 health_replicas order-service; then
    ok "scaled to 2: per-replica probes report $(health_replicas order-service) healthy $(since "$t0") s after the scale"
  else
    fail "scaled to 2: health replicas $(health_replicas order-service), want 2/2"
  fi
  pod1="$(kubectl -n "$ex" get pods -l app=order-service -o 'jsonpath={.items[0].status.podIP}')"
  t0="$(now)"
  curl -fsS --max-time 3 "http://$pod1:8080/cgi-bin/set?health=fail" >/dev/null
  if wait_until 60 is Warning status_of order-service; then
    ok "one Pod ($pod1) unhealthy -> Warning in $(since "$t0") s: HealthEndpointValid $(cond_of order-service HealthEndpointValid), replicas $(health_replicas order-service)"
  else
    fail "one Pod unhealthy: $(status_of order-service), HealthEndpointValid $(cond_of order-service HealthEndpointValid), replicas $(health_replicas order-service)"
  fi
  [[ "$(health_replicas order-service)" == 1/2 ]] && ok "the failing replica is counted: 1/2 healthy" ||
    fail "replicas $(health_replicas order-service), want 1/2"
  t0="$(now)"
  curl -fsS --max-time 3 "http://$pod1:8080/cgi-bin/set?health=ok" >/dev/null
  if wait_until 60 is Compliant status_of order-service && is 2/2 health_replicas order-service; then
    ok "healed -> Compliant 2/2 in $(since "$t0") s"
  else
    fail "healed: $(status_of order-service), replicas $(health_replicas order-service)"
  fi
}

# The api container's port changes (8080 -> 8081; the Service still targets 8080) -> PortsValid
# False, NonCompliant; `kubectl rollout undo` -> passes again.
scenario_port_change() {
  local t0
  t0="$(now)"
  kubectl -n "$ex" patch deploy/order-service --type json -p \
    '[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":8081}]' >/dev/null
  ports_false() { [[ "$(cond_of order-service PortsValid)" == False* ]]; }
  if wait_until 90 ports_false; then
    ok "container port 8080 -> 8081: PortsValid $(cond_of order-service PortsValid), $(status_of order-service), $(since "$t0") s"
  else
    fail "container port changed: PortsValid $(cond_of order-service PortsValid), $(status_of order-service)"
  fi
  t0="$(now)"
  kubectl -n "$ex" rollout undo deploy/order-service >/dev/null
  if wait_until 90 is "True AllPortsMatch" cond_of order-service PortsValid && wait_until 60 is Compliant status_of order-service; then
    ok "rollout undo: PortsValid $(cond_of order-service PortsValid), Compliant $(since "$t0") s after it"
  else
    fail "rollout undo: PortsValid $(cond_of order-service PortsValid), $(status_of order-service)"
  fi
}

# Two operator replicas -> one leader. The leader Pod is deleted -> the standby takes the Lease;
# every example Pacto keeps its status the whole time (polled every 0.5 s) and no condition of
# order-service moves its lastTransitionTime (no flapping, not even through Unknown).
scenario_failover() {
  local t0 leader other new_leader flaps=0 samples=0 p before after
  "$HELM" upgrade "$release" "$root/charts/pacto-operator" -n "$ns" --reuse-values \
    --set operator.replicas=2 --wait --timeout 120s >"$state/helm-replicas.log" 2>&1 ||
    { fail "helm upgrade --set operator.replicas=2: $(tail -n 3 "$state/helm-replicas.log")"; return; }
  two_ready() { [[ "$(kubectl -n "$ns" get pods -l "$sel" -o 'jsonpath={range .items[*]}{.status.containerStatuses[*].ready} {end}')" == "true true true true " ]]; }
  wait_until 120 two_ready || { fail "2 operator Pods not Ready"; return; }
  leader="$(holder)"
  other="$(kubectl -n "$ns" get pods -l "$sel" -o name | sed 's|pod/||' | grep -vx "$leader" | head -n 1)"
  ok "2 operator replicas Ready, one leader: $leader (standby $other)"
  before="$(pac order-service -o 'jsonpath={range .status.conditions[*]}{.type}={.lastTransitionTime} {end}')"
  t0="$(now)"
  kubectl -n "$ns" delete pod "$leader" --wait=false >/dev/null
  while ((samples < 240)); do # up to 120 s
    samples=$((samples + 1))
    for p in "${!want[@]}"; do
      [[ "$(status_of "$p")" == "${want[$p]}" ]] || flaps=$((flaps + 1))
    done
    new_leader="$(holder)"
    # The standby or the ReplicaSet's replacement Pod, whichever tries first once the old
    # leader released the Lease on SIGTERM: any live Pod but the deleted one.
    [[ -n "$new_leader" && "$new_leader" != "$leader" ]] && kubectl -n "$ns" get pod "$new_leader" >/dev/null 2>&1 && break
    sleep 0.5
  done
  new_leader="$(holder)"
  if [[ -n "$new_leader" && "$new_leader" != "$leader" ]] && kubectl -n "$ns" get pod "$new_leader" >/dev/null 2>&1; then
    ok "leader Pod deleted: $new_leader ($([[ "$new_leader" == "$other" ]] && echo standby || echo replacement Pod)) holds the Lease $(since "$t0") s later"
  else
    fail "leader Pod deleted: Lease held by '$new_leader' (deleted leader $leader, standby $other)"
  fi
  local settle=$((samples + 20)) # 10 s more: the new leader's first reconciles and probe rounds
  while ((samples < settle)); do
    samples=$((samples + 1))
    for p in "${!want[@]}"; do [[ "$(status_of "$p")" == "${want[$p]}" ]] || flaps=$((flaps + 1)); done
    sleep 0.5
  done
  after="$(pac order-service -o 'jsonpath={range .status.conditions[*]}{.type}={.lastTransitionTime} {end}')"
  if ((flaps == 0)) && [[ "$before" == "$after" ]]; then
    ok "no status flapping across the handover ($samples samples of ${#want[@]} Pactos; condition transition times unchanged)"
  else
    fail "status flapped: $flaps off samples; transitions before: $before / after: $after"
  fi
  "$HELM" upgrade "$release" "$root/charts/pacto-operator" -n "$ns" --reuse-values \
    --set operator.replicas=1 --wait --timeout 120s >>"$state/helm-replicas.log" 2>&1 || fail "helm upgrade back to 1 replica"
}

# `helm upgrade` to a new tag built here: the Pod runs the new image, takes the Lease, statuses kept.
scenario_upgrade() {
  local t0 archive new_tag=dev2 img
  t0="$(now)"
  archive="$(CARGO_TARGET_DIR="$state/image-build" PACTO_STATIC_BIN_DIR="$static_bins" \
    nice -n 10 "$root/scripts/build-image.sh" "pacto.local/pacto:$new_tag" | tail -n 1)"
  ctr -a "$sock" -n k8s.io images import --base-name pacto.local/pacto "$archive" >&2
  rm -rf "$state/image-build"
  ok "image pacto.local/pacto:$new_tag built and imported in $(since "$t0") s"
  t0="$(now)"
  if "$HELM" upgrade "$release" "$root/charts/pacto-operator" -n "$ns" --reuse-values \
    --set image.tag="$new_tag" --wait --timeout 120s >"$state/helm-upgrade.log" 2>&1; then
    pod="$(kubectl -n "$ns" get pods -l "$sel" \
      -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' | awk 'NF == 1 {print $1; exit}')"
    img="$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.spec.containers[?(@.name=="operator")].image}')"
    if [[ "$img" == *":$new_tag" ]] && wait_until 60 held_by_pod && wait_until 60 converged; then
      ok "helm upgrade to :$new_tag in $(since "$t0") s: $pod runs $img, holds the Lease, Pactos as before"
    else
      fail "helm upgrade: pod $pod image $img, holder $(holder)"
    fi
  else
    fail "helm upgrade --set image.tag=$new_tag: $(tail -n 5 "$state/helm-upgrade.log")"
  fi
}

# RBAC from inside: a Pod running as the operator's ServiceAccount (its mounted token) calls the
# apiserver; what the chart does not grant answers 403, what it grants 200.
scenario_rbac_inside() {
  local sa out
  sa="${sa_user##*:}"
  kubectl -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: rbac-probe}
spec:
  serviceAccountName: $sa
  restartPolicy: Never
  containers:
  - name: probe
    image: $PACTO_E2E_NODE_DEMO_IMAGE
    imagePullPolicy: Never
    env: [{name: API, value: "https://$gateway:$api_port"}]
    command: [/bin/sh, -c]
    args:
    - |
      call() { # WANT WHAT METHOD PATH [BODY]
        got=\$(apicall "\$3" "\$API\$4" "\$5" 2>/tmp/apicall.err || cat /tmp/apicall.err)
        echo "\$1 \$got \$2"
      }
      call 403 "list Secrets cluster-wide" GET /api/v1/secrets
      call 403 "create a Pod" POST /api/v1/namespaces/$ex/pods '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"x","image":"x"}]}}'
      call 403 "create a Deployment" POST /apis/apps/v1/namespaces/$ex/deployments '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}'
      call 403 "delete a Service" DELETE /api/v1/namespaces/$ex/services/order-service
      call 403 "create a ClusterRoleBinding" POST /apis/rbac.authorization.k8s.io/v1/clusterrolebindings '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"x"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"User","name":"x"}]}'
      call 200 "list Pactos cluster-wide" GET /apis/pacto.trianalab.io/v1alpha1/pactos
      call 200 "read its Lease" GET /apis/coordination.k8s.io/v1/namespaces/$ns/leases/pacto-operator-leader
      call 200 "list Deployments" GET /apis/apps/v1/deployments
YAML
  pod_done() { [[ "$(kubectl -n "$ns" get pod rbac-probe -o 'jsonpath={.status.phase}' 2>/dev/null)" == Succeeded ]]; }
  if ! wait_until 60 pod_done; then
    fail "rbac-probe Pod did not finish: $(kubectl -n "$ns" get pod rbac-probe -o 'jsonpath={.status.phase}')"
    return
  fi
  out="$(kubectl -n "$ns" logs rbac-probe)"
  echo "$out" >"$state/rbac-probe.log"
  if [[ "$(echo "$out" | awk '$1 != $2' | wc -l)" == 0 && "$(echo "$out" | wc -l)" == 8 ]]; then
    ok "RBAC from inside, as $sa_user: $(echo "$out" | awk '$2 == 403' | wc -l) calls refused (403), $(echo "$out" | awk '$2 == 200' | wc -l) granted (200)"
  else
    fail "RBAC from inside: $(echo "$out" | awk '$1 != $2' | tr '\n' ';')"
  fi
  kubectl -n "$ns" delete pod rbac-probe --wait=false >/dev/null
}

# Hostile bundles from inside: hostile_registry.py on the bridge gateway serves them to the
# operator Pod (registry.insecure). Each Pacto gets a clear error naming what was wrong; the
# operator container never restarts; the other Pactos keep their status.
scenario_hostile() {
  local port reg t0 name restarts msg bad=0
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
  reg="$gateway:$port"
  python3 "$here/hostile_registry.py" "$gateway" "$port" >"$state/hostile-registry.out" 2>"$state/hostile-registry.log" &
  hostile_pid=$!
  wait_until 20 grep -q ready "$state/hostile-registry.out" || { fail "hostile registry did not start"; return; }
  "$HELM" upgrade "$release" "$root/charts/pacto-operator" -n "$ns" --reuse-values \
    --set "registry.insecure={$reg}" --wait --timeout 120s >"$state/helm-insecure.log" 2>&1 ||
    { fail "helm upgrade registry.insecure: $(tail -n 3 "$state/helm-insecure.log")"; return; }
  pod="$(kubectl -n "$ns" get pods -l "$sel" \
    -o 'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' | awk 'NF == 1 {print $1; exit}')"
  wait_until 60 held_by_pod || true
  declare -A expect=([bomb]="10485760" [traversal]="escape" [symlink]="symlink" [mediatype]="media type" [huge]="manifest")
  t0="$(now)"
  for name in "${!expect[@]}" valid; do
    kubectl -n "$ex" apply -f - >/dev/null <<YAML
apiVersion: pacto.trianalab.io/v1alpha1
kind: Pacto
metadata: {name: hostile-$name}
spec:
  contractRef: {oci: "oci://$reg/hostile/$name:1"}
YAML
  done
  settled() {
    local n
    for n in "${!expect[@]}" valid; do [[ -n "$(status_of "hostile-$n")" ]] || return 1; done
  }
  wait_until 90 settled || true
  for name in "${!expect[@]}"; do
    msg="$(pac "hostile-$name" -o 'jsonpath={.status.conditions[?(@.type=="ContractValid")].message}' 2>/dev/null)"
    if [[ "$(status_of "hostile-$name")" =~ ^(Invalid|NonCompliant|Unknown)$ && "${msg,,}" == *"${expect[$name],,}"* ]]; then
      ok "hostile/$name: $(status_of "hostile-$name"): ...${msg: -170}"
    else
      bad=$((bad + 1))
      fail "hostile/$name: status '$(status_of "hostile-$name")', ContractValid message '${msg:0:300}' (want it to mention '${expect[$name]}')"
    fi
  done
  if [[ "$(status_of hostile-valid)" == Reference ]]; then
    ok "the same registry's valid bundle is accepted (Reference) $(since "$t0") s after apply"
  else
    fail "hostile/valid: '$(status_of hostile-valid)', want Reference"
  fi
  restarts="$(kubectl -n "$ns" get pod "$pod" -o 'jsonpath={.status.containerStatuses[?(@.name=="operator")].restartCount}')"
  if [[ "$restarts" == 0 ]] && converged; then
    ok "operator container never restarted (restartCount 0); the example Pactos kept their status"
  else
    fail "after hostile bundles: restartCount '$restarts', examples converged: $(converged && echo yes || echo no)"
  fi
  for name in "${!expect[@]}" valid; do kubectl -n "$ex" delete pactos.pacto.trianalab.io "hostile-$name" --wait=false >/dev/null 2>&1 || true; done
  kill "$hostile_pid" 2>/dev/null || true
  wait "$hostile_pid" 2>/dev/null || true
  hostile_pid=""
}
