#!/usr/bin/env python3
"""`pacto mcp` driven by the official MCP Python SDK (package `mcp`), over stdio and over
Streamable HTTP: initialize, list and call every tool with valid and invalid arguments,
list and read the bundle's resources, and the HTTP guards (Host 421, Origin 403, 404).

Also `pacto_migrate` (a 1.x example written to a new directory, a 2.0 one refused) and
`pacto mcp --fleet EXAMPLES_DIR --no-k8s` (search, get, graph, status, impact).

Usage: client_test.py PACTO_BINARY EXAMPLE_BUNDLE_DIR
Run by cli/tests/mcp_client.rs inside a venv holding the pinned SDK; exits non-zero on failure.
"""
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

PACTO, EXAMPLE = sys.argv[1], os.path.abspath(sys.argv[2])
EXAMPLES = os.path.dirname(EXAMPLE)
AUTHORING = {"pacto_create", "pacto_edit", "pacto_check", "pacto_schema", "pacto_diff",
             "pacto_migrate"}
BUNDLE_TOOLS = {"pacto_explain", "pacto_interfaces"}
FLEET_TOOLS = {"pacto_fleet_search", "pacto_fleet_get", "pacto_fleet_graph",
               "pacto_fleet_status", "pacto_impact"}


def ok(result):
    """A successful tool result: structured content equal to its text JSON copy."""
    assert not result.is_error, result.content[0].text
    assert result.structured_content is not None
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def err(result, pattern):
    assert result.is_error, f"expected an error, got {result.structured_content}"
    text = result.content[0].text
    assert re.search(pattern, text), f"{pattern!r} not in {text!r}"


async def exercise(session, workdir, transport):
    init = await session.initialize()
    assert init.server_info.name == "pacto", init
    tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == AUTHORING | BUNDLE_TOOLS, set(tools)
    assert tools["pacto_check"].annotations.read_only_hint is True
    assert tools["pacto_create"].annotations.read_only_hint is False
    assert tools["pacto_edit"].annotations.destructive_hint is True
    assert tools["pacto_migrate"].annotations.read_only_hint is False
    assert set(tools["pacto_migrate"].input_schema["properties"]) == {
        "path", "output", "drop_lossy", "dry_run"}, tools["pacto_migrate"].input_schema
    props = tools["pacto_create"].input_schema["properties"]
    assert props["interfaces"]["type"] == "array", props["interfaces"]
    assert "metadata" in props and "name" in tools["pacto_create"].input_schema["required"]

    name = f"orders-{transport}"
    created = ok(await session.call_tool("pacto_create", {
        "name": name,
        "owner": "team-a",
        "interfaces": [{"name": "api", "type": "openapi", "visibility": "public"},
                       {"name": "rpc", "type": "grpc"}],
        "dependencies": [{"ref": "oci://ghcr.io/acme/db:1.0.0", "required": True,
                          "compatibility": "^1.0.0"}],
        "workload": "service",
        "stores_data": True,
        "data_survives_restart": True,
        "config_properties": [{"name": "PORT", "type": "integer", "required": True}],
        "metadata": {"tier": "gold"},
    }))
    assert created["pactoVersion"] == "2.0" and created["validation"]["valid"], created
    for f in ("pacto.yaml", "interfaces/api.yaml", "interfaces/rpc.proto", "configuration/schema.json"):
        assert os.path.isfile(os.path.join(workdir, name, f)), f
    dry = ok(await session.call_tool("pacto_create", {"name": "dry", "dry_run": True,
                                                      "pacto_version": "1.2"}))
    assert dry["dryRun"] and not os.path.exists(os.path.join(workdir, "dry"))
    err(await session.call_tool("pacto_create", {"name": "Bad_Name"}), "invalid service name")
    err(await session.call_tool("pacto_create", {"name": "x", "path": "../escape"}), r"`\.\.`")
    err(await session.call_tool("pacto_create", {"name": "x", "path": "/tmp/x"}), "absolute")
    err(await session.call_tool("pacto_create", {"name": "x", "bogus": 1}), "unknown field")
    err(await session.call_tool("pacto_create", {"name": "x", "interfaces": "[]"}), "invalid arguments")
    err(await session.call_tool("pacto_create", {"name": name}), "already exists")

    checked = ok(await session.call_tool("pacto_check", {"path": name}))
    assert checked["valid"] and checked["errors"] == [], checked
    assert {"summary", "suggestions", "warnings"} <= set(checked)
    bad = os.path.join(workdir, f"bad-{transport}")
    os.makedirs(bad)
    with open(os.path.join(bad, "pacto.yaml"), "w") as f:
        f.write('pactoVersion: "2.0"\nservice:\n  name: bad\n  version: nope\n')
    invalid = ok(await session.call_tool("pacto_check", {"path": f"bad-{transport}"}))
    assert not invalid["valid"] and invalid["errors"][0]["code"] == "INVALID_SEMVER", invalid
    fix = [s for s in invalid["suggestions"] if "toolCall" in s]
    assert fix and fix[0]["toolCall"]["tool"] == "pacto_edit", invalid["suggestions"]
    fixed = ok(await session.call_tool("pacto_edit", fix[0]["toolCall"]["params"]))
    assert fixed["changes"] == ["service.version = 0.1.0"], fixed
    assert ok(await session.call_tool("pacto_check", {"path": f"bad-{transport}"}))["valid"]
    err(await session.call_tool("pacto_check", {"path": "missing-dir"}), "missing-dir")
    err(await session.call_tool("pacto_check", {"path": 3}), "invalid arguments")

    edited = ok(await session.call_tool("pacto_edit", {
        "path": name, "version": "0.2.0",
        "add_interfaces": [{"name": "events", "type": "asyncapi"}],
        "remove_interfaces": ["rpc"],
        "add_dependencies": [{"name": "cache", "ref": "oci://ghcr.io/acme/cache@sha256:" + "a" * 64,
                              "compatibility": "^2.0.0"}],
        "set_metadata": {"region": "eu"}, "remove_metadata": ["tier"],
        "data_loss_impact": "high",
    }))
    assert "service.version = 0.2.0" in edited["changes"] and edited["summary"], edited
    assert edited["validation"]["valid"]
    err(await session.call_tool("pacto_edit", {"path": name, "remove_interfaces": ["nope"]}), "no interface")
    err(await session.call_tool("pacto_edit", {"path": name, "workload": "daemon"}), "workload")
    err(await session.call_tool("pacto_edit", {"path": "../.."}), r"`\.\.`")

    schema = ok(await session.call_tool("pacto_schema", {}))
    assert schema["jsonSchema"]["properties"]["pactoVersion"]["enum"] == ["2.0"] and schema["description"]
    assert ok(await session.call_tool("pacto_schema", {"pacto_version": "1.2"}))["pactoVersion"] == "1.2"
    err(await session.call_tool("pacto_schema", {"pacto_version": "9.9"}), "9.9")

    shutil.copytree(os.path.join(workdir, name), os.path.join(workdir, f"{name}-v2"))
    ok(await session.call_tool("pacto_edit", {"path": f"{name}-v2", "remove_interfaces": ["api"]}))
    diff = ok(await session.call_tool("pacto_diff", {"old": name, "new": f"{name}-v2"}))
    assert diff["classification"] == "BREAKING", diff["classification"]
    assert any(c["path"].startswith("interfaces") for c in diff["changes"]), diff["changes"]
    err(await session.call_tool("pacto_diff", {"old": name}), "invalid arguments")

    await migrate(session, workdir, transport)

    explained = ok(await session.call_tool("pacto_explain", {}))
    assert explained, explained
    err(await session.call_tool("pacto_explain", {"x": 1}), "unknown field")
    ifaces = ok(await session.call_tool("pacto_interfaces", {}))
    assert ifaces["interfaces"] and any(i.get("operations") for i in ifaces["interfaces"]), ifaces
    err(await session.call_tool("pacto_interfaces", {"interface": "nope"}), "no interface")

    try:
        await session.call_tool("pacto_nope", {})
        raise AssertionError("an unknown tool must be a JSON-RPC error")
    except AssertionError:
        raise
    except Exception as e:  # the SDK raises its protocol error type
        assert "unknown tool" in str(e), e

    resources = (await session.list_resources()).resources
    uris = [str(r.uri) for r in resources]
    assert uris[0] == "pacto://bundle/pacto.yaml", uris
    read = await session.read_resource("pacto://bundle/pacto.yaml")
    with open(os.path.join(EXAMPLE, "pacto.yaml")) as f:
        assert read.contents[0].text == f.read()
    others = [u for u in uris[1:]]
    assert others, uris
    assert (await session.read_resource(others[0])).contents
    try:
        await session.read_resource("pacto://bundle/nope.yaml")
        raise AssertionError("an unknown resource must be an error")
    except AssertionError:
        raise
    except Exception as e:
        assert "nope.yaml" in str(e), e
    await session.send_ping()


async def migrate(session, workdir, transport):
    """pacto_migrate on a copy of a 1.x example: returned, then written to a new directory."""
    src = f"order-processor-{transport}"
    shutil.copytree(os.path.join(EXAMPLES, "order-processor"), os.path.join(workdir, src))
    shown = ok(await session.call_tool("pacto_migrate", {"path": src}))
    assert (shown["from"], shown["to"], shown["written"]) == ("1.2", "2.0", False), shown
    assert re.search(r"pactoVersion: ['\"]?2\.0", shown["pactoYaml"]), shown["pactoYaml"]
    assert "pacto.yaml" in shown["files"] and shown["notes"], shown
    assert {"path", "kind", "message"} <= set(shown["notes"][0]), shown["notes"][0]
    out = f"migrated-{transport}"
    dry = ok(await session.call_tool("pacto_migrate", {"path": src, "output": out, "dry_run": True}))
    assert not dry["written"] and not os.path.exists(os.path.join(workdir, out)), dry
    wrote = ok(await session.call_tool("pacto_migrate", {"path": src, "output": out}))
    assert wrote["written"] and wrote["output"] == out, wrote
    with open(os.path.join(workdir, out, "pacto.yaml")) as f:
        assert re.search(r"pactoVersion: ['\"]?2\.0", f.read())
    for rel in wrote["files"]:
        assert os.path.isfile(os.path.join(workdir, out, rel)), rel
    with open(os.path.join(workdir, src, "pacto.yaml")) as f:
        assert 'pactoVersion: "1.2"' in f.read(), "the source must stay untouched"
    assert ok(await session.call_tool("pacto_check", {"path": out}))["valid"]
    err(await session.call_tool("pacto_migrate", {"path": src, "output": out}), "not empty")
    err(await session.call_tool("pacto_migrate", {"path": src, "output": "../up"}), r"`\.\.`")
    err(await session.call_tool("pacto_migrate", {"path": os.path.join(EXAMPLES, "ledger-api")}),
        "already")
    err(await session.call_tool("pacto_migrate", {"path": "missing-dir"}), "missing-dir")
    err(await session.call_tool("pacto_migrate", {"path": src, "bogus": True}), "unknown field")


async def over_stdio(workdir):
    params = StdioServerParameters(command=PACTO, args=["mcp", EXAMPLE], cwd=workdir)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await exercise(session, workdir, "stdio")


async def read_only_has_no_writes(workdir):
    params = StdioServerParameters(command=PACTO, args=["mcp", "--read-only"], cwd=workdir)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            names = {t.name for t in (await session.list_tools()).tools}
            assert names == {"pacto_check", "pacto_schema", "pacto_diff"}, names
            for tool, params in (("pacto_create", {"name": "x"}),
                                 ("pacto_migrate", {"path": os.path.join(EXAMPLES, "postgresql"),
                                                    "output": "x"})):
                try:
                    res = await session.call_tool(tool, params)
                except Exception as e:
                    assert f"unknown tool: {tool}" in str(e), e
                else:
                    raise AssertionError(f"{tool} answered in read-only mode: {res}")
            assert not os.path.exists(os.path.join(workdir, "x"))


async def fleet(workdir):
    """`pacto mcp --fleet EXAMPLES --no-k8s --read-only`: the dashboard in-process."""
    params = StdioServerParameters(
        command=PACTO, args=["mcp", "--read-only", "--fleet", EXAMPLES, "--no-k8s"], cwd=workdir)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == {"pacto_check", "pacto_schema", "pacto_diff"} | FLEET_TOOLS, set(tools)
            assert all(tools[t].annotations.read_only_hint is True for t in FLEET_TOOLS)

            found = ok(await session.call_tool("pacto_fleet_search", {"query": "PAYMENTS"}))
            assert [s["name"] for s in found["services"]] == ["payments-api"], found
            every = ok(await session.call_tool("pacto_fleet_search", {}))
            names = {s["name"] for s in every["services"]}
            assert {"payments-api", "postgresql", "ledger-api"} <= names, names
            limited = ok(await session.call_tool("pacto_fleet_search", {"limit": 2}))
            assert len(limited["services"]) == 2 and limited["truncated"], limited
            owner = every["services"][0].get("owner")
            if owner:
                by_owner = ok(await session.call_tool("pacto_fleet_search", {"owner": owner.upper()}))
                assert by_owner["services"] and all(
                    owner.lower() in s["owner"].lower() for s in by_owner["services"]), by_owner
            none = ok(await session.call_tool("pacto_fleet_search", {"query": "no-such-service-xyz"}))
            assert none["services"] == [] and none["matched"] == 0, none

            got = ok(await session.call_tool("pacto_fleet_get", {"name": "payments-api"}))
            assert got["name"] == "payments-api" and got["interfaces"], got.keys()
            err(await session.call_tool("pacto_fleet_get", {"name": "no-such-service"}),
                "no service named")
            err(await session.call_tool("pacto_fleet_get", {"name": "../api/graph"}),
                "no service named")
            err(await session.call_tool("pacto_fleet_get", {}), "invalid arguments")

            graph = ok(await session.call_tool("pacto_fleet_graph", {}))
            assert graph["edges"] and len(graph["nodes"]) >= 10, graph.keys()
            focused = ok(await session.call_tool("pacto_fleet_graph", {"name": "ledger-api"}))
            assert focused["focus"] == "ledger-api" and focused["edges"], focused
            err(await session.call_tool("pacto_fleet_graph", {"name": "nope"}), "no service named")

            impact = ok(await session.call_tool("pacto_impact", {"name": "postgresql"}))
            hit = {d["name"]: d for d in impact["dependents"]}
            for direct in ("ledger-api", "inventory-grpc", "order-processor", "user-service"):
                assert hit[direct]["depth"] == 1 and hit[direct]["required"], hit
            # Transitive: nightly-export depends on ledger-api, shipment-events on inventory-grpc.
            assert hit["nightly-export"]["depth"] == 2 and hit["nightly-export"]["via"] == "ledger-api", hit
            assert hit["shipment-events"]["depth"] == 2, hit
            assert "postgresql" not in hit and hit["nightly-export"]["requiredPath"]
            leaf = ok(await session.call_tool("pacto_impact", {"name": "nightly-export"}))
            assert leaf["dependents"] == [], leaf
            err(await session.call_tool("pacto_impact", {"name": "nope"}), "no service named")

            status = ok(await session.call_tool("pacto_fleet_status", {}))
            assert status["clusterSource"] is False and status["statuses"] == [], status
            assert "no Kubernetes cluster source" in status["summary"], status
            one = ok(await session.call_tool("pacto_fleet_status", {"name": "payments-api"}))
            assert one["clusterSource"] is False, one
            err(await session.call_tool("pacto_fleet_status", {"name": "nope"}), "no service named")


async def no_fleet_tools_without_fleet(workdir):
    params = StdioServerParameters(command=PACTO, args=["mcp"], cwd=workdir)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            names = {t.name for t in (await session.list_tools()).tools}
            assert names == AUTHORING, names
            try:
                res = await session.call_tool("pacto_impact", {"name": "postgresql"})
            except Exception as e:
                assert "unknown tool: pacto_impact" in str(e), e
            else:
                raise AssertionError(f"pacto_impact answered without --fleet: {res}")


def http_status(url, headers):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"}).encode()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json, text/event-stream", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


async def over_http(workdir):
    proc = subprocess.Popen([PACTO, "mcp", "-t", "http", "--port", "0", EXAMPLE], cwd=workdir,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        m = re.search(r"http://(127\.0\.0\.1:\d+)/mcp", line)
        assert m, f"no listening address in {line!r}"
        url = f"http://{m.group(1)}/mcp"
        async with streamable_http_client(url) as (read, write):
            async with ClientSession(read, write) as session:
                await exercise(session, workdir, "http")
        assert http_status(url, {"Host": "rebind.example"}) == 421
        assert http_status(url, {"Origin": "https://evil.example"}) == 403
        assert http_status(url.replace("/mcp", "/other"), {}) == 404
        big = "x" * (5 * 1024 * 1024)
        req = urllib.request.Request(url, data=big.encode(), method="POST", headers={
            "Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
        try:
            urllib.request.urlopen(req, timeout=10)
            raise AssertionError("a 5 MiB body must be refused")
        except urllib.error.HTTPError as e:
            assert e.code == 413, e.code
        except (ConnectionError, urllib.error.URLError):
            pass  # the server may close the connection while the body is still being sent
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def main():
    with tempfile.TemporaryDirectory() as workdir:
        await over_stdio(workdir)
        print("stdio: ok")
        await over_http(workdir)
        print("http: ok")
        await read_only_has_no_writes(workdir)
        print("read-only: ok")
        await fleet(workdir)
        await no_fleet_tools_without_fleet(workdir)
        print("fleet: ok")


if __name__ == "__main__":
    asyncio.run(main())
