#!/usr/bin/env python3
"""Fails when a crate's modules import each other in a cycle, or a module grows too long.

Layering rule: within each module, its child modules must form an acyclic graph. A reference
from a file to anything under a sibling module (through `crate::` or `super::` paths, in `use`
trees or inline) is an edge between the two siblings; a reference to an ancestor or a
descendant is not (a parent owns its children). So `sources/k8s.rs` using `crate::model` is the
edge sources -> model at the crate root, and `model` using `crate::sources` closes a cycle.

Size rule: a source file's non-test lines stay under LIMIT, except the files listed in
LONG_OK (generated code, grammar tables, type-only files), each with its reason.

Usage: scripts/check-architecture.py [--graph]   (prints each crate's edges with --graph)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["core", "cli", "oci", "crds", "operator", "dashboard", "e2e-support", "plugins"]
LIMIT = 400
LONG_OK = {
    "core/src/diff/proto/parser.rs": "grammar: one function per protobuf production",
    "core/src/diff/proto/lexer.rs": "grammar: the protobuf token table",
    "crds/src/status.rs": "type-only: the CRD status schema",
    "crds/src/pacto.rs": "type-only: the CRD spec schema",
    "dashboard/src/api/dto.rs": "type-only: the API's response records",
}


# One left-to-right pass, so `//` inside a string (`"oci://…"`) is no comment and the `r"` of
# `"semver"` no raw string: comments, raw strings, strings, char literals (so '"' opens nothing).
TOKENS = re.compile(
    r"""//[^\n]*|/\*.*?\*/|\bb?r(#*)".*?"\1|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])'""", re.S
)


def strip_comments_and_strings(text):
    return TOKENS.sub(lambda m: " " if m.group(0).startswith("/") else '""', text)


def strip_test_modules(text):
    """Drops `#[cfg(test)] mod x { ... }` blocks (brace-matched) so tests do not count."""
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def module_path(src, path):
    rel = os.path.relpath(path, src)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    if rel in (["lib"], ["main"]):
        return []
    return rel


def expand_use_tree(tree):
    """`a::{b, c::{d, e}}` -> ['a::b', 'a::c::d', 'a::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    depth, start, parts = 0, 0, []
    brace = tree.find("{")
    if brace < 0:
        return [tree]
    prefix, inner = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    for i, ch in enumerate(inner):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return [p for part in parts if part for p in expand_use_tree(prefix + part)]


def referenced_paths(code):
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        paths.extend(expand_use_tree(m.group(1)))
    paths.extend(m.group(0) for m in re.finditer(r"\b(?:crate|super)(?:\s*::\s*\w+)+", code))
    return paths


def resolve(path, here, modules, is_mod_file):
    segs = [s.split(" as ")[0] for s in re.sub(r"\s+", "", path).split("::")]
    if segs[0] == "crate":
        base, segs = [], segs[1:]
    elif segs[0] in ("super", "self"):
        # `super` of a non-mod file is its parent directory's module
        base = list(here)
        while segs and segs[0] in ("super", "self"):
            if segs[0] == "super":
                base = base[:-1]
            segs = segs[1:]
    else:
        return None
    full = base + [s for s in segs if s and s != "*"]
    for n in range(len(full), -1, -1):
        if tuple(full[:n]) in modules:
            return tuple(full[:n])
    return None


def crate_edges(crate):
    src = os.path.join(ROOT, crate, "src")
    files = {}
    for dirpath, _, names in os.walk(src):
        if os.path.join(src, "bin") in dirpath:
            continue
        for name in names:
            if name.endswith(".rs"):
                p = os.path.join(dirpath, name)
                files[p] = tuple(module_path(src, p))
    modules = set(files.values())
    edges = {}
    for p, here in files.items():
        with open(p, encoding="utf-8") as f:
            code = strip_test_modules(strip_comments_and_strings(f.read()))
        for ref in referenced_paths(code):
            target = resolve(ref, here, modules, p.endswith("mod.rs"))
            if target is None:
                continue
            common = 0
            while common < min(len(here), len(target)) and here[common] == target[common]:
                common += 1
            if common == len(here) or common == len(target):
                continue  # ancestor or descendant
            a, b = here[: common + 1], target[: common + 1]
            edges.setdefault(a, {}).setdefault(b, set()).add(os.path.relpath(p, ROOT))
    return edges


def cycles(edges):
    """Tarjan's strongly connected components of size > 1."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def long_files():
    bad = []
    for crate in CRATES:
        src = os.path.join(ROOT, crate, "src")
        for dirpath, _, names in os.walk(src):
            for name in names:
                if not name.endswith(".rs") or name.endswith("_tests.rs") or name == "tests.rs":
                    continue
                p = os.path.join(dirpath, name)
                rel = os.path.relpath(p, ROOT)
                with open(p, encoding="utf-8") as f:
                    text = strip_test_modules(f.read())
                n = len(text.splitlines())
                if n > LIMIT and rel not in LONG_OK:
                    bad.append((rel, n))
    return bad


def main():
    failed = False
    for crate in CRATES:
        edges = crate_edges(crate)
        if "--graph" in sys.argv:
            for a in sorted(edges):
                for b in sorted(edges[a]):
                    print(f"{crate}: {'::'.join(a)} -> {'::'.join(b)}")
        for comp in cycles(edges):
            failed = True
            names = sorted("::".join(m) for m in comp)
            print(f"{crate}: import cycle between {', '.join(names)}")
            for a in comp:
                for b in comp:
                    if b in edges.get(a, {}):
                        files = ", ".join(sorted(edges[a][b]))
                        print(f"    {'::'.join(a)} -> {'::'.join(b)}  ({files})")
    for rel, n in long_files():
        failed = True
        print(f"{rel}: {n} non-test lines (limit {LIMIT}); split it or list it in LONG_OK with why")
    if failed:
        sys.exit(1)
    print("architecture: no module cycles, no module over", LIMIT, "lines")


if __name__ == "__main__":
    main()
