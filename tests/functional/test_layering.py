"""Layering of src/ (docs/architecture.md, "Layering"): a folder includes only
the folders below it.  Each rule names a direction of #include that is
forbidden; the test greps every #include "folder/file.h" line of src/ and
fails on one that breaks a rule, naming file:line.  No build needed."""
import os
import re

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"')

# (folder that includes, folder it must not include, why)
FORBIDDEN = [
    ("core", "*", "core/ is the bottom layer: it includes only core/"),
    ("wire", "attr", "attr/ reads with wire/'s buffers; the UPDATE parser is update/"),
    ("api", "peer", "peer/ hosts the helper processes; states are core/peer_state.h"),
]


def includes():
    """Yield (folder, path, line number, included folder) for every
    #include "folder/..." of a file under src/<folder>/."""
    for folder in sorted(os.listdir(SRC)):
        top = os.path.join(SRC, folder)
        if not os.path.isdir(top):
            continue
        for root, _dirs, files in os.walk(top):
            for name in sorted(files):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if m:
                            yield folder, path, number, m.group(1)


def violations():
    found = []
    for folder, path, number, target in includes():
        if target == folder:
            continue
        for src, dst, why in FORBIDDEN:
            if folder == src and dst in ("*", target):
                rel = os.path.relpath(path, os.path.join(SRC, ".."))
                found.append(f"{rel}:{number}: {folder}/ includes {target}/: {why}")
    return found


def test_no_forbidden_include_direction():
    found = violations()
    assert not found, "\n".join(found)


def test_rules_see_the_includes():
    # the grep is not vacuous: src/ has cross-folder includes, and the
    # rules would see one that broke them
    seen = {(f, t) for f, _p, _n, t in includes() if f != t}
    assert ("config", "core") in seen
    assert ("peer", "api") in seen
    assert ("attr", "wire") in seen


def test_shared_types_defined_in_core():
    # struct ip_addr is used by config/, api/ and peer/: one definition, in
    # core/, so that none of them includes another for it
    found = []
    for root, _dirs, files in os.walk(SRC):
        for name in files:
            if name.endswith((".c", ".h")):
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    if re.search(r"^struct ip_addr\s*\{", f.read(), re.M):
                        found.append(os.path.relpath(os.path.join(root, name), SRC))
    assert found == ["core/ip_addr.h"], found
