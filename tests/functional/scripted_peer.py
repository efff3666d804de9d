"""A daemon (fastbgp or ExaBGP) started on a configuration that makes it
connect to a scripted peer on 127.0.0.1, for the functional tests.

    with connected_daemon([FASTBGP], conf_path, workdir) as (conn, reader):
        their_open = reader.read(10)
        ...

The listening socket takes its port from the OS; the daemon is told it
through exabgp.tcp.port. On exit the daemon is stopped by its PID (SIGTERM,
then SIGKILL after a bounded wait) and the sockets are closed."""
import contextlib
import os
import signal
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "tests", "conformance"))
import bgp_peer as bp  # noqa: E402


@contextlib.contextmanager
def connected_daemon(cmd, conf, workdir, accept_timeout=30):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    env = dict(os.environ, exabgp_tcp_port=str(srv.getsockname()[1]), exabgp_tcp_bind="",
               exabgp_api_cli="false", exabgp_daemon_user="root", exabgp_daemon_drop="false",
               exabgp_log_destination="stderr", exabgp_api_ack="false")
    log = open(os.path.join(workdir, "daemon.log"), "w")
    proc = subprocess.Popen(cmd + [conf], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    conn = None
    try:
        srv.settimeout(accept_timeout)
        conn, _ = srv.accept()
        # no second session: reconnection timing is not what tests look at
        srv.close()
        yield conn, bp.MessageReader(conn)
    finally:
        if conn is not None:
            conn.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        srv.close()
        log.close()
