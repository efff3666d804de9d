"""docs/cookbook.md: each embedded file equals the one in examples/cookbook/,
and fastbgp -t accepts every configuration there (and the other examples)."""
import glob
import os
import re
import subprocess

import pytest

from test_session import FASTBGP, TOP

COOKBOOK = os.path.join(TOP, "examples", "cookbook")
CONFS = sorted(glob.glob(os.path.join(COOKBOOK, "*.conf"))) + [os.path.join(TOP, "examples", "fastbgp.conf.example")]


def blocks():
    """(path named on the block's first line, block text) for every fenced block of the cookbook."""
    text = open(os.path.join(TOP, "docs", "cookbook.md")).read()
    out = []
    for m in re.finditer(r"```[a-z]*\n(.*?)```\n", text, re.S):
        body = m.group(1)
        first = body.splitlines()[0] if body else ""
        named = re.search(r"(examples/cookbook/[\w.-]+)", first + "\n" + "\n".join(body.splitlines()[1:3]))
        if named:
            out.append((named.group(1), body))
    return out


def test_every_example_file_is_in_the_cookbook():
    named = {p for p, _ in blocks()}
    files = {os.path.relpath(f, TOP) for f in glob.glob(os.path.join(COOKBOOK, "*")) if os.path.isfile(f)}
    assert files and files == named, (files ^ named)


@pytest.mark.parametrize("path,body", blocks(), ids=lambda v: v if "/" in str(v)[:40] else "")
def test_cookbook_block_is_the_file(path, body):
    with open(os.path.join(TOP, path)) as fh:
        assert fh.read() == body, "docs/cookbook.md and %s differ" % path


@pytest.mark.parametrize("conf", CONFS, ids=os.path.basename)
def test_configuration_is_accepted(conf):
    r = subprocess.run([FASTBGP, "-t", conf], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and "configuration OK" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("script", ["ddos-to-flowspec.py", "archive-updates.py"])
def test_python_helpers_compile(script):
    path = os.path.join(COOKBOOK, script)
    with open(path) as fh:
        compile(fh.read(), path, "exec")  # a SyntaxError fails the test; no .pyc is written
    assert os.access(path, os.X_OK)


def test_shell_helper_parses():
    r = subprocess.run(["sh", "-n", os.path.join(COOKBOOK, "anycast-check.sh")], capture_output=True, timeout=10)
    assert r.returncode == 0
