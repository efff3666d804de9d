"""Many sessions in one process: 300 neighbors in one fastbgp connect to a
second fastbgp that accepts them through one passive prefix neighbor
(127.1.0.0/16), and all stay up past three hold times.  A speaker opens at
first 8 connections at once (a window that grows as they succeed): the
others wait for a slot, and every one of them must still get its turn."""
import os
import signal
import socket
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FASTBGP = os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp"))
N = 300
WINDOW_START = 8  # SPEAKER_CONNECT_WINDOW_START (src/peer/speaker.h)
HOLD = 3


def start(conf_text, env, tmp, name):
    conf = os.path.join(tmp, name + ".conf")
    with open(conf, "w") as fh:
        fh.write(conf_text)
    log = open(os.path.join(tmp, name + ".log"), "w")
    e = dict(os.environ)
    e.update(env)
    return subprocess.Popen([FASTBGP, conf], env=e, stdout=log, stderr=subprocess.STDOUT), log


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    return proc.returncode


def count(path, needle):
    with open(path) as fh:
        return fh.read().count(needle)


def test_three_hundred_sessions_one_process():
    tmp = tempfile.mkdtemp(prefix="fastbgp-many-")
    with socket.socket() as s:
        s.bind(("127.0.0.3", 0))
        port = str(s.getsockname()[1])
    server_conf = ("neighbor 127.1.0.0/16 { router-id 10.0.0.3; local-address 127.0.0.3; local-as 65003;"
                   " peer-as 65004; passive; hold-time %d; }\n" % HOLD)
    clients = "".join(
        "neighbor 127.0.0.3 { router-id 10.1.%d.%d; local-address 127.1.%d.%d; local-as 65004; peer-as 65003;"
        " hold-time %d; static { route 10.%d.%d.0/24 next-hop self; } }\n"
        % (i // 250, i % 250 + 1, i // 250, i % 250 + 1, HOLD, i // 256, i % 256)
        for i in range(N))
    server, slog = start(server_conf, {"exabgp_tcp_bind": "127.0.0.3", "exabgp_tcp_port": port}, tmp, "server")
    client = None
    try:
        time.sleep(0.3)
        client, clog = start(clients, {"exabgp_tcp_port": port, "exabgp_log_level": "DEBUG"}, tmp, "client")
        sl, cl = os.path.join(tmp, "server.log"), os.path.join(tmp, "client.log")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if count(sl, "-> ESTABLISHED") >= N and count(cl, "-> ESTABLISHED") >= N:
                break
            time.sleep(0.2)
        assert count(sl, "-> ESTABLISHED") == N, "server: %d sessions" % count(sl, "-> ESTABLISHED")
        assert count(cl, "-> ESTABLISHED") == N
        # All neighbors start together: all but the first window waited.
        assert count(cl, "waiting for a connection slot") >= N - WINDOW_START
        # Three hold times later, still exactly N sessions, nothing expired.
        time.sleep(3 * HOLD + 1)
        for path in (sl, cl):
            assert count(path, "-> ESTABLISHED") == N
            assert count(path, "hold timer expired") == 0
            assert count(path, "ESTABLISHED -> IDLE") == 0
        assert stop(client) == 0
        assert stop(server) == 0
    finally:
        if client:
            stop(client)
        stop(server)

