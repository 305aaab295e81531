{{/* Chart name, truncated to the 63 characters of a label value. */}}
{{- define "pacto.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name of the release's objects. */}}
{{- define "pacto.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object. */}}
{{- define "pacto.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "pacto.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels; call with (dict "ctx" $ "component" "operator"). */}}
{{- define "pacto.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pacto.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Image reference; call with (dict "image" <override map> "ctx" $). Empty fields fall back to .Values.image. */}}
{{- define "pacto.image" -}}
{{- $base := .ctx.Values.image -}}
{{- $registry := default $base.registry .image.registry -}}
{{- $repository := default $base.repository .image.repository -}}
{{- $digest := default $base.digest .image.digest -}}
{{- $tag := default (default .ctx.Chart.AppVersion $base.tag) .image.tag -}}
{{- $ref := $repository -}}
{{- if $registry -}}{{- $ref = printf "%s/%s" $registry $repository -}}{{- end -}}
{{- if $digest -}}
{{- printf "%s@%s" $ref $digest -}}
{{- else -}}
{{- printf "%s:%s" $ref $tag -}}
{{- end -}}
{{- end -}}

{{- define "pacto.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "pacto.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "pacto.dashboardServiceAccountName" -}}
{{- printf "%s-dashboard" (include "pacto.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "true" when the operator runs leader election. */}}
{{- define "pacto.leaderElect" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.operator.replicas) 1) (gt (int .Values.operator.leaderElection.shards) 1) -}}true{{- end -}}
{{- end -}}

{{/* The Leases the operator takes: one, or one per shard (`<leaseName>-shard-<k>`, as the
operator names them). */}}
{{- define "pacto.leaseNames" -}}
{{- $le := .Values.operator.leaderElection -}}
{{- $shards := int $le.shards -}}
{{- if gt $shards 1 -}}
{{- range $k := until $shards }}
- {{ printf "%s-shard-%d" $le.leaseName $k | quote }}
{{- end -}}
{{- else }}
- {{ $le.leaseName | quote }}
{{- end -}}
{{- end -}}

{{/* Checks values the schema cannot express. */}}
{{- define "pacto.validate" -}}
{{- if and (eq .Values.scope.mode "namespaces") (empty .Values.scope.namespaces) -}}
{{- fail "scope.namespaces must list at least one namespace when scope.mode is \"namespaces\"" -}}
{{- end -}}
{{- if and (eq .Values.scope.mode "namespaces") .Values.scope.namespaceSelector -}}
{{- fail "scope.namespaceSelector only applies when scope.mode is \"cluster\"" -}}
{{- end -}}
{{- if and .Values.registry.ca.configMap .Values.registry.ca.secret -}}
{{- fail "set only one of registry.ca.configMap and registry.ca.secret" -}}
{{- end -}}
{{- if and (or .Values.dashboard.ingress.enabled .Values.dashboard.httpRoute.enabled) (eq .Values.dashboard.mode "disabled") -}}
{{- fail "dashboard.ingress/httpRoute need dashboard.mode sidecar or standalone" -}}
{{- end -}}
{{- if and .Values.dashboard.httpRoute.enabled (empty .Values.dashboard.httpRoute.parentRefs) -}}
{{- fail "dashboard.httpRoute.parentRefs must name at least one Gateway when dashboard.httpRoute.enabled is true" -}}
{{- end -}}
{{- if lt (int .Values.operator.replicas) (int .Values.operator.leaderElection.shards) -}}
{{- fail (printf "operator.replicas (%d) must be at least operator.leaderElection.shards (%d): a shard without a replica is never checked" (int .Values.operator.replicas) (int .Values.operator.leaderElection.shards)) -}}
{{- end -}}
{{- if and .Values.metrics.serviceMonitor.enabled (not .Values.metrics.service.enabled) -}}
{{- fail "metrics.serviceMonitor needs metrics.service.enabled" -}}
{{- end -}}
{{- end -}}

{{/* Environment shared by the operator and the dashboard: registry access and the OCI cache. */}}
{{- define "pacto.registryEnv" -}}
- name: XDG_CACHE_HOME
  value: /cache
{{- with .Values.registry.credentials }}
{{- if .existingSecret }}
{{- if not .hosts }}
{{- fail "registry.credentials.hosts must list the registry hosts the credentials of registry.credentials.existingSecret belong to (they are sent nowhere else)" -}}
{{- end }}
- name: PACTO_REGISTRY_HOST
  value: {{ join "," .hosts | quote }}
{{- if .usernameKey }}
- name: PACTO_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .usernameKey | quote }}}
{{- end }}
{{- if .passwordKey }}
- name: PACTO_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .passwordKey | quote }}}
{{- end }}
{{- if .tokenKey }}
- name: PACTO_REGISTRY_TOKEN
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret | quote }}, key: {{ .tokenKey | quote }}}
{{- end }}
{{- end }}
{{- end }}
{{- with .Values.registry.insecure }}
- name: PACTO_INSECURE_REGISTRIES
  value: {{ join "," . | quote }}
{{- end }}
{{- if or .Values.registry.ca.configMap .Values.registry.ca.secret }}
- name: PACTO_REGISTRY_CA_FILE
  value: /etc/pacto/ca/{{ .Values.registry.ca.key }}
{{- end }}
{{- end -}}

{{/* Mounts shared by the operator and the dashboard. */}}
{{- define "pacto.commonMounts" -}}
- name: cache
  mountPath: /cache
- name: tmp
  mountPath: /tmp
{{- if or .Values.registry.ca.configMap .Values.registry.ca.secret }}
- name: registry-ca
  mountPath: /etc/pacto/ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* Volumes backing pacto.commonMounts (the dashboard's token volume is added by its caller). */}}
{{- define "pacto.commonVolumes" -}}
- name: cache
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- if .Values.registry.ca.configMap }}
- name: registry-ca
  configMap:
    name: {{ .Values.registry.ca.configMap }}
    items: [{key: {{ .Values.registry.ca.key | quote }}, path: {{ .Values.registry.ca.key | quote }}}]
{{- else if .Values.registry.ca.secret }}
- name: registry-ca
  secret:
    secretName: {{ .Values.registry.ca.secret }}
    items: [{key: {{ .Values.registry.ca.key | quote }}, path: {{ .Values.registry.ca.key | quote }}}]
{{- end }}
{{- if .Values.dashboard.auth.existingSecret }}
- name: dashboard-token
  secret:
    secretName: {{ .Values.dashboard.auth.existingSecret }}
    items: [{key: {{ .Values.dashboard.auth.key | quote }}, path: token}]
{{- end }}
{{- end -}}

{{/* Host names the dashboard answers to (DNS-rebinding defence; IPs and localhost always are):
its Service's in-cluster names, the Ingress hosts and HTTPRoute hostnames, dashboard.allowedHosts. */}}
{{- define "pacto.dashboardHosts" -}}
{{- $svc := printf "%s-dashboard" (include "pacto.fullname" .) -}}
{{- $ns := .Release.Namespace -}}
{{- $hosts := list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) -}}
{{- if .Values.dashboard.ingress.enabled -}}
{{- range .Values.dashboard.ingress.hosts -}}
{{- if .host }}{{ $hosts = append $hosts .host }}{{ end -}}
{{- end -}}
{{- end -}}
{{- if .Values.dashboard.httpRoute.enabled -}}
{{- range .Values.dashboard.httpRoute.hostnames }}{{ $hosts = append $hosts . }}{{ end -}}
{{- end -}}
{{- range .Values.dashboard.allowedHosts }}{{ $hosts = append $hosts . }}{{ end -}}
{{- join "," (uniq $hosts) -}}
{{- end -}}

{{/* The dashboard container, used by the operator pod (sidecar) and the standalone Deployment. */}}
{{- define "pacto.dashboardContainer" -}}
- name: dashboard
  image: {{ include "pacto.image" (dict "image" .Values.dashboard.image "ctx" .) }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["/usr/local/bin/pacto-dashboard"]
  args:
    - --host=0.0.0.0
    - --port={{ .Values.dashboard.port }}
    - --log-format={{ .Values.dashboard.logFormat }}
    {{- if eq .Values.scope.mode "namespaces" }}
    - --namespace={{ join "," .Values.scope.namespaces }}
    {{- end }}
    {{- if .Values.dashboard.diagnostics }}
    - --diagnostics
    {{- end }}
    {{- with .Values.dashboard.basePath }}
    - {{ printf "--base-path=%s" . | quote }}
    {{- end }}
    {{- if not .Values.dashboard.cache }}
    - --no-cache
    {{- end }}
    {{- if .Values.dashboard.auth.existingSecret }}
    - --token-file=/etc/pacto-dashboard/token
    {{- end }}
    - --allowed-host={{ include "pacto.dashboardHosts" . }}
    {{- range .Values.dashboard.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    {{- include "pacto.registryEnv" . | nindent 4 }}
    {{- with .Values.dashboard.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - name: dashboard
      containerPort: {{ .Values.dashboard.port }}
      protocol: TCP
  livenessProbe:
    httpGet: {path: /healthz, port: dashboard}
    initialDelaySeconds: 5
    periodSeconds: 20
  # Ready once the first snapshot is built.
  readinessProbe:
    httpGet: {path: /readyz, port: dashboard}
    periodSeconds: 10
  resources:
    {{- toYaml .Values.dashboard.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    {{- include "pacto.commonMounts" . | nindent 4 }}
    {{- if .Values.dashboard.auth.existingSecret }}
    - name: dashboard-token
      mountPath: /etc/pacto-dashboard
      readOnly: true
    {{- end }}
{{- end -}}

{{/* Topology spread constraints with an empty labelSelector filled in; (dict "tsc" list "ctx" $ "component" name). */}}
{{- define "pacto.topologySpread" -}}
{{- $sel := include "pacto.selectorLabels" (dict "ctx" .ctx "component" .component) | fromYaml -}}
{{- $out := list -}}
{{- range .tsc -}}
{{- $c := deepCopy . -}}
{{- if not (hasKey $c "labelSelector") -}}{{- $_ := set $c "labelSelector" (dict "matchLabels" $sel) -}}{{- end -}}
{{- $out = append $out $c -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}
