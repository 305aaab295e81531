"""Runs the real pacto-operator / pacto-dashboard binaries with a rendered container's command,
args and env, so the chart can never again pass flags or variables the binaries do not know.

PACTO_OPERATOR_BIN and PACTO_DASHBOARD_BIN name the built binaries (charts/tests/run.sh builds
them and sets both).
"""
import json
import os
import subprocess

BINARIES = {
    "/usr/local/bin/pacto-operator": "PACTO_OPERATOR_BIN",
    "/usr/local/bin/pacto-dashboard": "PACTO_DASHBOARD_BIN",
}


def binary_for(c):
    cmd = c.get("command", [])
    assert len(cmd) == 1 and cmd[0] in BINARIES, f"container {c['name']}: unknown command {cmd}"
    var = BINARIES[cmd[0]]
    path = os.environ.get(var)
    assert path and os.access(path, os.X_OK), f"{var} must name the built binary (run charts/tests/run.sh)"
    return path


def resolve_env(c, namespace, pod="pod-0"):
    """The container's env as the kubelet would set it: fieldRefs resolved, Secret keys faked."""
    out = {}
    for e in c.get("env", []):
        if "value" in e:
            out[e["name"]] = str(e["value"])
            continue
        src = e.get("valueFrom", {})
        if "fieldRef" in src:
            field = src["fieldRef"]["fieldPath"]
            out[e["name"]] = {"metadata.namespace": namespace, "metadata.name": pod}[field]
        elif "secretKeyRef" in src:
            out[e["name"]] = f"from-secret-{src['secretKeyRef']['key']}"
        else:
            raise AssertionError(f"container {c['name']}: unsupported env source {e}")
    return out


def base_env():
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}


def check_config(c, namespace):
    """Runs the binary with the rendered args + --check-config; returns its effective config.
    Also asserts every env name the chart sets is one the binary reads."""
    env = dict(base_env(), **resolve_env(c, namespace))
    proc = subprocess.run([binary_for(c), *c.get("args", []), "--check-config"], capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, f"{c['name']}: the real binary refused {c.get('args')}: {proc.stderr}"
    cfg = json.loads(proc.stdout)
    unknown = [n for n in resolve_env(c, namespace) if n not in cfg["known_env"]]
    assert not unknown, f"{c['name']}: env the binary never reads: {unknown}"
    return cfg


def named_port(c, name):
    for p in c.get("ports", []):
        if p["name"] == name:
            return p["containerPort"]
    raise AssertionError(f"container {c['name']} has no port named {name!r}")


def probes(c):
    """[(path, port number)] of the container's HTTP probes."""
    out = []
    for kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        get = c.get(kind, {}).get("httpGet")
        if get:
            port = get["port"]
            out.append((get["path"], port if isinstance(port, int) else named_port(c, port)))
    return out
