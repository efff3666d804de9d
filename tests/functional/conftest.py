"""pytest glue for tests/functional: every test fails when a process it
started left a sanitizer report (a leak at exit included) or a helper got
invalid JSON (tests/checks.py)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checks  # noqa: E402

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
