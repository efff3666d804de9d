"""TCP-AO (RFC 5925) in ExaBGP main's syntax.  Where the kernel offers
TCP_AO_ADD_KEY the key is set; elsewhere fastbgp says so, never silently:
at `fastbgp -t` time and when the session would start (no connection is
made without the key).  The test asks this machine's kernel first (a
setsockopt on a throwaway socket) and checks the behaviour that follows."""
import errno
import os
import platform
import socket
import struct
import subprocess
import tempfile
import time

import pytest

from test_session import FASTBGP, Daemon, Peer

CONF = """neighbor 127.0.0.1 {
\trouter-id 10.0.0.1;
\tlocal-address 127.0.0.1;
\tlocal-as 65000;
\tpeer-as 65001;
\ttcp-ao {
\t\tkeyid 1;
\t\talgorithm hmac-sha-256;
\t\tpassword my-secret-key;
\t}
}
"""


def kernel_has_tcp_ao():
    """Does setsockopt(TCP_AO_ADD_KEY = 38) work here?"""
    s = socket.socket()
    try:
        addr = struct.pack("HH4s120x", socket.AF_INET, 0, socket.inet_aton("127.0.0.1"))
        alg = b"hmac(sha256)".ljust(64, b"\0")
        rest = struct.pack("iIH6B80s", 0, 3, 0, 32, 1, 1, 0, 0, 3, b"key".ljust(80, b"\0"))
        s.setsockopt(socket.IPPROTO_TCP, 38, addr + alg + rest)
        return True
    except OSError as e:
        if e.errno == errno.ENOPROTOOPT:
            return False
        raise
    finally:
        s.close()


def expected_error(conf_path):
    return "%s:6: tcp-ao needs Linux 6.7 or later (TCP_AO_ADD_KEY); this kernel is %s" % (
        conf_path, platform.release())


def test_check_mode_reports_the_kernel():
    d = tempfile.mkdtemp(prefix="fastbgp-ao-")
    conf = os.path.join(d, "ao.conf")
    with open(conf, "w") as fh:
        fh.write(CONF)
    r = subprocess.run([FASTBGP, "-t", conf], capture_output=True, text=True, timeout=30)
    if kernel_has_tcp_ao():
        assert r.returncode == 0, r.stderr
        assert "configuration OK" in r.stdout
    else:
        assert r.returncode == 1
        assert expected_error(conf) in r.stderr, r.stderr


def test_session_start_fails_clearly_without_kernel_support():
    if kernel_has_tcp_ao():
        pytest.skip("this kernel offers TCP-AO: the key is set (a peer with the same key is needed)")
    peer = Peer()
    d = Daemon(CONF, {"exabgp_tcp_port": str(peer.port)})
    try:
        want = expected_error(d.conf)
        deadline = time.monotonic() + 10
        while want not in d.text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert want in d.text(), d.text()
        # no connection was opened without the key
        peer.srv.settimeout(1)
        with pytest.raises(socket.timeout):
            peer.srv.accept()
    finally:
        d.stop()
        peer.close()
