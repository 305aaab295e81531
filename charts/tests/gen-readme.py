#!/usr/bin/env python3
"""Generates charts/pacto-operator/README.md from README.md.tmpl and the `# --` comments of
values.yaml (standard library only).

usage: gen-readme.py [--check]     --check exits 1 when README.md is not up to date

A `# -- text` comment (continued by following `# ` lines) documents the key on the next line.
The table row shows the dotted key path, the default (inline value, or the nested YAML block
compacted to one line) and the text.
"""
import os
import re
import sys

CHART = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pacto-operator")
KEY = re.compile(r"^( *)([A-Za-z0-9_.-]+):(?: (.*))?$")


def rows(lines):
    path = []  # (indent, key)
    doc = None
    out = []
    documented = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("# -- "):
            doc = [stripped[5:]]
            continue
        if doc is not None and stripped.startswith("# "):
            doc.append(stripped[2:])
            continue
        m = KEY.match(line)
        if not m:
            if stripped and not stripped.startswith("#") and not stripped.startswith("-"):
                raise SystemExit(f"values.yaml:{i + 1}: cannot read {line!r}")
            continue
        indent, key, value = len(m.group(1)), m.group(2), (m.group(3) or "").strip()
        while path and path[-1][0] >= indent:
            path.pop()
        path.append((indent, key))
        dotted = ".".join(k for _, k in path)
        if doc is None:
            # A leaf must be documented itself or sit inside a documented block.
            if value and not any(dotted.startswith(d + ".") for d in documented):
                raise SystemExit(f"values.yaml:{i + 1}: `{dotted}` has no `# --` comment")
            continue
        documented.append(dotted)
        if not value:  # nested block: compact it to one flow-style line
            block = []
            for nxt in lines[i + 1:]:
                if nxt.strip() and (len(nxt) - len(nxt.lstrip())) <= indent:
                    break
                if nxt.strip() and not nxt.strip().startswith("#"):
                    block.append((len(nxt) - len(nxt.lstrip()), nxt.strip()))
            value = flow(block) if block else "~"
        out.append((dotted, value, " ".join(doc)))
        doc = None
    return out


def flow(block):
    """Block YAML mappings (indent, text) -> `{a: 1, b: {c: 2}}`; list items kept as written."""
    items, i = [], 0
    while i < len(block):
        ind, text = block[i]
        j = i + 1
        while j < len(block) and block[j][0] > ind:
            j += 1
        if text.endswith(":") and j > i + 1:
            items.append(f"{text} {flow(block[i + 1:j])}")
        else:
            items.append(text)
        i = j
    return "{" + ", ".join(items) + "}"


def render():
    with open(os.path.join(CHART, "values.yaml")) as fh:
        lines = fh.read().splitlines()
    table = ["| key | default | description |", "|---|---|---|"]
    for key, value, text in rows(lines):
        value, text = value.replace("|", "\\|"), text.replace("|", "\\|")
        table.append(f"| `{key}` | `{value}` | {text} |")
    with open(os.path.join(CHART, "README.md.tmpl")) as fh:
        tmpl = fh.read()
    return tmpl.replace("{{VALUES_TABLE}}", "\n".join(table))


def main():
    text = render()
    path = os.path.join(CHART, "README.md")
    if "--check" in sys.argv:
        current = open(path).read() if os.path.exists(path) else ""
        if current != text:
            sys.exit("charts/pacto-operator/README.md is out of date: run charts/tests/gen-readme.py")
        return
    with open(path, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()
