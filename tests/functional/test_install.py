"""`make install DESTDIR=... PREFIX=/usr`: the tree, the man pages rendered
without a warning, the systemd unit verified, the opt-in ExaBGP names.
Uses the binaries of $FASTBGP's build directory (build/VARIANT)."""
import os
import shutil
import subprocess
import tempfile

import pytest

from test_session import FASTBGP, TOP

BUILD = os.path.dirname(os.path.abspath(FASTBGP))
VARIANT = os.path.basename(BUILD)
pytestmark = pytest.mark.skipif(os.path.dirname(BUILD) != os.path.join(TOP, "build"),
                                reason="FASTBGP is not a build of this tree (build/VARIANT/fastbgp)")


def make(*args):
    p = subprocess.run(["make", "-C", TOP, "--no-print-directory", "VARIANT=" + VARIANT] + list(args),
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    return p


@pytest.fixture(scope="module")
def tree():
    d = tempfile.mkdtemp(prefix="fastbgp-install-")
    make("install-exabgp-compat", "DESTDIR=" + d, "PREFIX=/usr")
    yield d
    shutil.rmtree(d, ignore_errors=True)


MAN = ["usr/share/man/man8/fastbgp.8", "usr/share/man/man8/fastbgpctl.8", "usr/share/man/man5/fastbgp.conf.5"]
if os.path.exists(os.path.join(TOP, "docs", "fastbgp-healthcheck.8")):
    MAN.append("usr/share/man/man8/fastbgp-healthcheck.8")


def test_tree(tree):
    for f, mode in [("usr/sbin/fastbgp", 0o755), ("usr/sbin/fastbgpctl", 0o755),
                    ("usr/share/doc/fastbgp/fastbgp.conf.example", 0o644),
                    ("usr/share/doc/fastbgp/fastbgp.env", 0o644),
                    ("usr/lib/systemd/system/fastbgp.service", 0o644)] + [(m, 0o644) for m in MAN]:
        path = os.path.join(tree, f)
        assert os.path.isfile(path), f
        assert os.stat(path).st_mode & 0o777 == mode, (f, oct(os.stat(path).st_mode))
    sbin = os.path.join(tree, "usr/sbin")
    r = subprocess.run([os.path.join(sbin, "fastbgp"), "--version"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0 and r.stdout.startswith("fastbgp ")
    # the example configuration and env file are valid
    doc = os.path.join(tree, "usr/share/doc/fastbgp")
    r = subprocess.run([os.path.join(sbin, "fastbgp"), "--env", os.path.join(doc, "fastbgp.env"), "-t",
                        os.path.join(doc, "fastbgp.conf.example")], capture_output=True, text=True, timeout=20)
    assert r.returncode == 0 and "configuration OK" in r.stdout, r
    unit = open(os.path.join(tree, "usr/lib/systemd/system/fastbgp.service")).read()
    assert "ExecStart=/usr/sbin/fastbgp " in unit and "@SBINDIR@" not in unit


def test_prefix_is_honoured():
    d = tempfile.mkdtemp(prefix="fastbgp-install-prefix-")
    try:
        make("install", "DESTDIR=" + d, "PREFIX=/opt/fb")
        assert os.path.isfile(os.path.join(d, "opt/fb/sbin/fastbgp"))
        assert os.path.isfile(os.path.join(d, "opt/fb/share/man/man8/fastbgp.8"))
        assert "ExecStart=/opt/fb/sbin/fastbgp " in open(os.path.join(d, "opt/fb/lib/systemd/system/fastbgp.service")).read()
        assert not os.path.exists(os.path.join(d, "opt/fb/sbin/exabgp")), "the ExaBGP names are opt-in"
    finally:
        shutil.rmtree(d, ignore_errors=True)


@pytest.mark.skipif(not shutil.which("groff"), reason="groff is not installed")
@pytest.mark.parametrize("page", MAN)
def test_man_page_renders(tree, page):
    path = os.path.join(tree, page)
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", path], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    if shutil.which("man"):
        r = subprocess.run(["man", "-l", path], capture_output=True, text=True, timeout=30,
                           env=dict(os.environ, MANPAGER="cat", MANWIDTH="80"))
        assert r.returncode == 0 and "NAME" in r.stdout and r.stderr == "", r.stderr


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_unit_verifies(tree):
    """systemd-analyze verify: the unit as installed, its ExecStart pointed at the DESTDIR binary
    (verify checks the program exists) and its man: links at the DESTDIR man pages."""
    d = tempfile.mkdtemp(prefix="fastbgp-unit-")
    unit = open(os.path.join(tree, "usr/lib/systemd/system/fastbgp.service")).read()
    assert "Type=notify" in unit and "ExecReload=/bin/kill -USR1 $MAINPID" in unit
    assert "User=fastbgp" in unit and "AmbientCapabilities=CAP_NET_BIND_SERVICE" in unit
    for key in ("ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes"):
        assert key in unit
    path = os.path.join(d, "fastbgp.service")
    with open(path, "w") as fh:
        fh.write(unit.replace("/usr/sbin/fastbgp", os.path.join(tree, "usr/sbin/fastbgp")))
    r = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True, timeout=60,
                       env=dict(os.environ, MANPATH=os.path.join(tree, "usr/share/man")))
    assert r.returncode == 0 and "fastbgp.service" not in r.stderr, r.stderr


def test_exabgp_names(tree):
    """install-exabgp-compat: exabgp is fastbgp; exabgpcli is `fastbgp cli`."""
    sbin = os.path.join(tree, "usr/sbin")
    for name in ("exabgp", "exabgpcli"):
        assert os.readlink(os.path.join(sbin, name)) == "fastbgp"
    conf = os.path.join(tree, "usr/share/doc/fastbgp/fastbgp.conf.example")
    r = subprocess.run([os.path.join(sbin, "exabgp"), "-t", conf], capture_output=True, text=True, timeout=20)
    assert r.returncode == 0 and "configuration OK" in r.stdout
    def same(cmd_a, cmd_b):
        a = subprocess.run(cmd_a, capture_output=True, text=True, timeout=20)
        b = subprocess.run(cmd_b, capture_output=True, text=True, timeout=20)
        assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr), (a, b)
        return a
    fastbgp = os.path.join(sbin, "fastbgp")
    r = same([os.path.join(sbin, "exabgpcli"), "--help"], [fastbgp, "cli", "--help"])
    assert r.returncode == 0 or "cli is not available" in r.stderr, r
    r = same([os.path.join(sbin, "exabgp"), "healthcheck", "--help"], [fastbgp, "healthcheck", "--help"])
    assert r.returncode == 0 or "healthcheck is not available" in r.stderr, r
