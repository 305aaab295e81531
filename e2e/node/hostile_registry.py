#!/usr/bin/env python3
"""A hostile OCI registry for the in-cluster checks (e2e/node/scenarios.sh): speaks just enough of
the distribution API (/v2/, manifests, blobs) to hand the operator's Pod bundles that must be
refused, each with a clear reason, without the Pod crashing or growing:

  hostile/bomb:1        a gzip bomb: one pacto.yaml that inflates to 64 MiB (file limit 10 MiB)
  hostile/traversal:1   a layer with an entry ../../escape.yaml next to a valid pacto.yaml
  hostile/symlink:1     a pacto.yaml that is a symlink to /etc/passwd
  hostile/mediatype:1   a valid bundle layer declared as a container image layer
  hostile/huge:1        a 6 MiB manifest (manifest limit 4 MiB)
  hostile/valid:1       a valid bundle (the control: same server, accepted)

usage: hostile_registry.py HOST PORT        (serves until killed; prints 'ready' once listening)
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LAYER = "application/vnd.pacto.bundle.layer.v1.tar+gzip"
CONTRACT = b"""pactoVersion: "1.0"
service:
  name: hostile-service
  version: 1.0.0
interfaces:
  - name: api
    type: http
    port: 8080
"""


def digest(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def layer(entries):
    """entries: (name, bytes | ('symlink', target))"""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        for name, body in entries:
            info = tarfile.TarInfo(name)
            if isinstance(body, tuple):
                info.type, info.linkname = tarfile.SYMTYPE, body[1]
                tar.addfile(info)
            else:
                info.size = len(body)
                tar.addfile(info, io.BytesIO(body))
    return gzip.compress(raw.getvalue(), mtime=0)


def bomb_layer():
    """A tar whose pacto.yaml is 64 MiB of spaces, gzipped as it is written (never held whole)."""
    out = io.BytesIO()
    size = 64 * 1024 * 1024
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as gz:
        info = tarfile.TarInfo("pacto.yaml")
        info.size = size
        gz.write(info.tobuf())
        chunk = b" " * (1024 * 1024)
        for _ in range(size // len(chunk)):
            gz.write(chunk)
        gz.write(b"\0" * 1024)  # end-of-archive blocks
    return out.getvalue()


BLOBS = {}


def blob(b):
    d = digest(b)
    BLOBS[d] = b
    return d, len(b)


def manifest(layer_bytes, layer_type=LAYER):
    cfg = json.dumps({"architecture": "", "os": "", "config": {},
                      "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    cd, cs = blob(cfg)
    ld, ls = blob(layer_bytes)
    return json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
        "layers": [{"mediaType": layer_type, "digest": ld, "size": ls}],
    }).encode()


MANIFESTS = {
    "hostile/bomb": manifest(bomb_layer()),
    "hostile/traversal": manifest(layer([("pacto.yaml", CONTRACT), ("../../escape.yaml", b"x: 1\n")])),
    "hostile/symlink": manifest(layer([("pacto.yaml", ("symlink", "/etc/passwd"))])),
    "hostile/mediatype": manifest(layer([("pacto.yaml", CONTRACT)]),
                                  "application/vnd.oci.image.layer.v1.tar+gzip"),
    "hostile/huge": b'{"schemaVersion": 2, "padding": "' + b" " * (6 * 1024 * 1024) + b'"}',
    "hostile/valid": manifest(layer([("pacto.yaml", CONTRACT)])),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("[hostile-registry] " + (fmt % args) + "\n")

    def send(self, code, body=b"", ctype="application/json", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        path = self.path.split("?")[0]
        if path in ("/v2", "/v2/"):
            return self.send(200, b"{}")
        if "/manifests/" in path:
            name = path[len("/v2/"):path.index("/manifests/")]
            m = MANIFESTS.get(name)
            if m is None:
                return self.send(404, b'{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
            return self.send(200, m, "application/vnd.oci.image.manifest.v1+json",
                             {"Docker-Content-Digest": digest(m)})
        if "/blobs/" in path:
            b = BLOBS.get(path.rsplit("/", 1)[1])
            if b is None:
                return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
            return self.send(200, b, "application/octet-stream")
        self.send(404, b"{}")

    do_GET = route
    do_HEAD = route


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    server = ThreadingHTTPServer((host, port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
