"""Shared setup of the functional tests: every test fails when a process it
started left a sanitizer report (a leak at exit included) or a helper got
invalid JSON (tests/checks.py)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402

# Run as root (CI containers often are), fastbgp drops its privileges to
# exabgp.daemon.user, as ExaBGP does, and Debian's /etc/exabgp/exabgp.env sets
# that to 'exabgp': the daemon could then no longer read the tests' private
# temporary folders.  Tests stay root unless they choose a user themselves
# (tests/functional/test_daemon.py does).
os.environ.setdefault("exabgp_daemon_user", "root")
checks.setup()


@pytest.fixture(autouse=True)
def sanitizer_and_json_check():
    checks.new_reports()  # what earlier tests left was reported there
    yield
    found = checks.new_reports()
    if found:
        pytest.fail(found, pytrace=False)


def pytest_sessionfinish(session, exitstatus):
    # daemons of module-scoped fixtures stop after the last test
    found = checks.new_reports()
    if found:
        print("\n" + found)
        session.exitstatus = 1
