#!/usr/bin/env bash
# Generates the control plane's PKI with openssl into the directory given as $1 (idempotent:
# existing files are kept). EC P-256 keys everywhere: fast to generate, accepted by the apiserver
# for serving, client auth and service-account token signing (ES256).
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
umask 077

key() { [[ -f "$1" ]] || openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }

if [[ ! -f ca.crt ]]; then
  key ca.key
  openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=pacto-e2e-ca" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.crt 2>/dev/null
fi

# sign NAME SUBJECT EXTENSIONS
sign() {
  local name="$1" subj="$2" ext="$3"
  [[ -f "$name.crt" ]] && return 0
  key "$name.key"
  openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 3650 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

# PACTO_E2E_APISERVER_SANS (opt-in, comma-separated openssl SAN entries such as IP:10.244.0.1):
# more SANs in the serving cert, for clients that reach the apiserver at another address (Pods on
# the node's bridge, e2e/node/chart.sh). A cert made with other extra SANs is made again.
default_sans="IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1"
sans="$default_sans${PACTO_E2E_APISERVER_SANS:+,$PACTO_E2E_APISERVER_SANS}"
# apiserver.sans records what the cert was made with (absent: the defaults, older state dirs).
if [[ -f apiserver.crt && "$(cat apiserver.sans 2>/dev/null || echo "$default_sans")" != "$sans" ]]; then
  rm -f apiserver.crt apiserver.key
fi
echo "$sans" >apiserver.sans
sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$sans"
client_ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
sign admin "/O=system:masters/CN=pacto-e2e-admin" "$client_ext"
sign controller-manager "/CN=system:kube-controller-manager" "$client_ext"
# PACTO_E2E_KUBELET_CLIENT=1 (opt-in): the apiserver's client cert towards kubelets (logs, exec,
# port-forward), passed by cluster.sh.
if [[ "${PACTO_E2E_KUBELET_CLIENT:-}" == 1 ]]; then
  sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "$client_ext"
fi
# The apiserver authenticates to nothing else; this key pair signs and verifies SA tokens.
key sa.key
[[ -f sa.pub ]] || openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
