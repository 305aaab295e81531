#!/usr/bin/env python3
"""Server-side apply of YAML manifests to the local control plane, without kubectl.

usage: kapply.py [--namespace NS] [--wait-established] [--status] FILE...

--status applies the documents to the objects' `status` subresource (e.g. a Pod's status, written
the way a kubelet would: no kubelet runs on the local control plane).

Reads the admin client certificate from $PACTO_E2E_STATE_DIR/pki (see controlplane/cluster.sh).
The YAML is sent as is (the apiserver parses apply-patch+yaml); only `kind`, `metadata.name` and
`metadata.namespace` are read here, from block-style YAML, to build the URL. Only the kinds in
KINDS are known; add a row when a new kind is needed. Standard library only.
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request

# kind -> (api prefix, plural, namespaced)
KINDS = {
    "Namespace": ("api/v1", "namespaces", False),
    "Node": ("api/v1", "nodes", False),
    "Pod": ("api/v1", "pods", True),
    "Service": ("api/v1", "services", True),
    "Secret": ("api/v1", "secrets", True),
    "ConfigMap": ("api/v1", "configmaps", True),
    "EndpointSlice": ("apis/discovery.k8s.io/v1", "endpointslices", True),
    "Deployment": ("apis/apps/v1", "deployments", True),
    "StatefulSet": ("apis/apps/v1", "statefulsets", True),
    "CronJob": ("apis/batch/v1", "cronjobs", True),
    "CustomResourceDefinition": ("apis/apiextensions.k8s.io/v1", "customresourcedefinitions", False),
    "Pacto": ("apis/pacto.trianalab.io/v1alpha1", "pactos", True),
    "PactoRevision": ("apis/pacto.trianalab.io/v1alpha1", "pactorevisions", True),
}


def context():
    state = os.environ.get("PACTO_E2E_STATE_DIR")
    server = os.environ.get("PACTO_E2E_APISERVER")
    if not state or not server:
        sys.exit("kapply: source the control plane env file first (controlplane/cluster.sh env)")
    ctx = ssl.create_default_context(cafile=os.path.join(state, "pki", "ca.crt"))
    ctx.load_cert_chain(os.path.join(state, "pki", "admin.crt"), os.path.join(state, "pki", "admin.key"))
    return server, ctx


def request(server, ctx, method, path, body=None, ctype="application/json"):
    req = urllib.request.Request(server + path, method=method, data=body)
    if body is not None:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
            return json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        detail = e.read().decode(errors="replace")
        sys.exit(f"kapply: {method} {path}: HTTP {e.code}: {detail}")


def documents(text):
    """Splits a multi-document YAML file; skips documents that are only comments."""
    doc = []
    for line in text.splitlines():
        if line.rstrip() == "---":
            yield "\n".join(doc)
            doc = []
        else:
            doc.append(line)
    yield "\n".join(doc)


def identity(doc):
    """(kind, name, namespace) from block-style YAML; None for an empty document."""
    kind = name = ns = None
    in_meta = False
    for line in doc.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = not line[0].isspace()
        if top:
            in_meta = line.startswith("metadata:")
            if line.startswith("kind:"):
                kind = line.split(":", 1)[1].strip()
        elif in_meta and line.startswith("  ") and not line[2].isspace():
            key, _, value = line.strip().partition(":")
            if key == "name":
                name = value.strip().strip('"')
            elif key == "namespace":
                ns = value.strip().strip('"')
    if kind is None:
        return None
    if name is None:
        sys.exit(f"kapply: a {kind} document has no block-style metadata.name")
    return kind, name, ns


def apply(server, ctx, doc, namespace, status=False):
    ident = identity(doc)
    if ident is None:
        return None, None
    kind, name, ns = ident
    if kind not in KINDS:
        sys.exit(f"kapply: unknown kind {kind!r}; add it to KINDS in {__file__}")
    prefix, plural, namespaced = KINDS[kind]
    if namespaced:
        path = f"/{prefix}/namespaces/{ns or namespace}/{plural}/{name}"
    else:
        path = f"/{prefix}/{plural}/{name}"
    if status:
        path += "/status"
    body = doc.encode()
    request(server, ctx, "PATCH", path + "?fieldManager=pacto-e2e&force=true", body,
            "application/apply-patch+yaml")
    print(f"applied {kind}/{name}{' status' if status else ''}")
    return kind, path


def wait_established(server, ctx, path, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        crd = request(server, ctx, "GET", path)
        for c in (crd.get("status") or {}).get("conditions") or []:
            if c.get("type") == "Established" and c.get("status") == "True":
                return
        time.sleep(0.5)
    sys.exit(f"kapply: {path} not Established after {timeout} s")


def main():
    args = sys.argv[1:]
    namespace, wait, status = "default", False, False
    files = []
    while args:
        a = args.pop(0)
        if a == "--namespace":
            namespace = args.pop(0)
        elif a == "--wait-established":
            wait = True
        elif a == "--status":
            status = True
        else:
            files.append(a)
    server, ctx = context()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for doc in documents(fh.read()):
                kind, path = apply(server, ctx, doc, namespace, status)
                if wait and kind == "CustomResourceDefinition":
                    wait_established(server, ctx, path)


if __name__ == "__main__":
    main()
