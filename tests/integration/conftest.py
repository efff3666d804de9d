"""pytest glue for tests/integration. Kept small on purpose: the helpers live in
peers.py. It registers the markers and gives the `lab` fixture used by the
test_interop_*.py files (other test files are free to ignore it)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Run as root, fastbgp drops to exabgp.daemon.user as ExaBGP does (Debian's
# /etc/exabgp/exabgp.env says 'exabgp'): tests stay root unless they choose.
os.environ.setdefault("exabgp_daemon_user", "root")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402  (sanitizer reports and invalid JSON, tests/checks.py)

checks.setup()

MARKERS = {
    "bird": "uses BIRD 2",
    "gobgp": "uses GoBGP 3",
    "frr": "uses FRR 8 bgpd",
    "openbgpd": "uses OpenBGPD",
    "exabgp": "uses ExaBGP 4.2",
    "ipv6": "IPv6 transport over ::1",
    "listen": "fastbgp accepts incoming connections (exabgp.tcp.bind)",
    "slow": "takes more than ~10 s",
}


def pytest_configure(config):
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", "%s: %s" % (name, text))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture
def lab(request):
    import peers
    if not os.access(peers.fastbgp_binary(), os.X_OK):
        pytest.fail("no fastbgp binary at %s (build it: make VARIANT=asan build, or set FASTBGP)"
                    % peers.fastbgp_binary())
    lab = peers.Lab(request.node.name)
    checks.new_reports()
    yield lab
    problems = lab.close()
    found = checks.new_reports()
    if found:
        problems.append(found)
    rep = getattr(request.node, "rep_call", None)
    failed = problems or rep is None or rep.failed
    if failed:
        print(lab.dump_logs())
        print("test files kept in %s" % lab.dir)
    else:
        lab.remove_dir()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def pytest_sessionfinish(session, exitstatus):
    # processes of tests without the lab fixture, stopped after the last test
    found = checks.new_reports()
    if found:
        print("\n" + found)
        session.exitstatus = 1
