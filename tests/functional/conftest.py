"""Shared setup of the functional tests.

Run as root (CI containers often are), fastbgp drops its privileges to
exabgp.daemon.user, as ExaBGP does, and Debian's /etc/exabgp/exabgp.env sets
that to 'exabgp': the daemon could then no longer read the tests' private
temporary folders.  Tests stay root unless they choose a user themselves
(tests/functional/test_daemon.py does).
"""
import os

os.environ.setdefault("exabgp_daemon_user", "root")
