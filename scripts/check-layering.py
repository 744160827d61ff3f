#!/usr/bin/env python3
"""Fails when a stage includes a header of a stage that ARCHITECTURE.md does not let it use.

Reads the "may use" column of ARCHITECTURE.md's folder table for every lib/<stage>/ row, closes
it transitively (a stage may use what the stages it uses may use, as their PUBLIC links allow),
and checks every `#include <logad/...>` in lib/<stage>/ and include/logad/<stage>/.
Top-level headers belong to a stage too (TOP_LEVEL below). Prints each violation with file:line.
    scripts/check-layering.py [project root]
"""
import pathlib
import re
import sys

# Headers directly under include/logad/ and the stage that owns each.
TOP_LEVEL = {"error.hpp": "util", "version.hpp": "util", "export.hpp": "util", "record.hpp": "core",
             "event_json.hpp": "core", "stage.hpp": "core"}


def allowed_uses(architecture: str) -> dict:
    rows = re.findall(r"^\| `lib/(\w+)/` \|.*\| ([^|]*) \|\s*$", architecture, re.M)
    stages = {name for name, _ in rows}
    direct = {name: {w for w in re.findall(r"\w+", uses) if w in stages} for name, uses in rows}
    closed = {}
    for name in stages:
        seen, todo = set(), [name]
        while todo:
            for used in direct[todo.pop()]:
                if used not in seen:
                    seen.add(used)
                    todo.append(used)
        closed[name] = seen | {name}
    return closed


def owner(include: str):
    parts = include.split("/")
    if len(parts) == 1:
        return TOP_LEVEL.get(parts[0])
    return parts[0]


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
    allowed = allowed_uses((root / "ARCHITECTURE.md").read_text())
    if not allowed:
        print("check-layering: no lib/<stage>/ rows found in ARCHITECTURE.md", file=sys.stderr)
        return 2
    violations = 0
    for stage, may_use in sorted(allowed.items()):
        for folder in (root / "lib" / stage, root / "include" / "logad" / stage):
            for path in sorted(folder.rglob("*.[ch]pp")) if folder.is_dir() else []:
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    m = re.match(r'\s*#\s*include\s*<logad/([\w/.]+)>', line)
                    if not m:
                        continue
                    used = owner(m.group(1))
                    if used is None:
                        print(f"{path.relative_to(root)}:{number}: <logad/{m.group(1)}> belongs to no stage (add it to TOP_LEVEL)")
                        violations += 1
                    elif used not in may_use:
                        print(f"{path.relative_to(root)}:{number}: {stage} includes <logad/{m.group(1)}>, "
                              f"but ARCHITECTURE.md lets {stage} use only {', '.join(sorted(may_use - {stage})) or 'nothing'}")
                        violations += 1
    checked = len(allowed)
    print(f"check-layering: {checked} stages, {violations} forbidden include(s)")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
