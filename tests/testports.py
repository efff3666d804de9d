"""TCP ports for the tests: from the OS (bind port 0), or, when the
environment variable FASTBGP_TEST_PORT_BASE is set (for example 20000), from
that base upwards, so a firewall or a shared machine can give the tests a
known range.  Two runs at once need two different bases.  No test uses a
fixed well-known port."""
import os
import socket

_next = None


def free_port(addr="127.0.0.1"):
    """A TCP port free on addr (not handed out before by this process)."""
    global _next
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    base = os.environ.get("FASTBGP_TEST_PORT_BASE")
    if not base:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((addr, 0))
            return s.getsockname()[1]
    if _next is None:
        _next = int(base)
        if not 1024 <= _next <= 65000:
            raise ValueError("FASTBGP_TEST_PORT_BASE must be between 1024 and 65000")
    while _next < 65536:
        port = _next
        _next += 1
        with socket.socket(family, socket.SOCK_STREAM) as s:
            try:
                s.bind((addr, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port left above FASTBGP_TEST_PORT_BASE=%s" % base)
