"""Helper I/O that scales: a helper sends 1,000,000 commands with acks on
and reads the acks slowly; every ack must come, in order, none lost
(tests/functional/wire/ack_flood.py checks each one: "error" at the
places of its unknown commands, "done" elsewhere).  Bounded in time."""
import os
import socket
import subprocess
import tempfile
import time

import test_wire_differential as wd

COUNT = int(os.environ.get("ACK_FLOOD_COUNT", "1000000"))
LIMIT = 240  # seconds, for the ASan build on a busy machine

CONF = """process flood {
    run /usr/bin/python3 %(wire)s/ack_flood.py %(work)s %(count)d;
    encoder text;
}
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65000;
    api { processes [ flood ]; }
}
"""


def test_million_commands_every_ack_in_order():
    work = tempfile.mkdtemp(prefix="ackflood-")
    conf = os.path.join(work, "flood.conf")
    with open(conf, "w") as fh:
        fh.write(CONF % {"wire": wd.WIRE, "work": work, "count": COUNT})
    # a peer that never answers: the routes stay queued, the session never comes up
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    env = wd.daemon_env(srv.getsockname()[1], exabgp_log_level="WARNING")
    log = open(os.path.join(work, "daemon.log"), "w")
    proc = subprocess.Popen([wd.FASTBGP, conf], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    result = os.path.join(work, "result")
    try:
        deadline = time.monotonic() + LIMIT
        while not os.path.exists(result) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert proc.poll() is None, "the daemon stopped (%s/daemon.log)" % work
        assert os.path.exists(result), "no result within %d s (%s)" % (LIMIT, work)
        with open(result) as fh:
            n, bad, seconds = fh.read().split()
        assert int(bad) == -1, "ack %s is not the expected one" % bad
        assert int(n) == COUNT, "%s acks for %d commands" % (n, COUNT)
        with open("/proc/%d/status" % proc.pid) as fh:
            peak = [line for line in fh if line.startswith("VmHWM")]
        print("%d acks in %s s; daemon %s" % (COUNT, seconds, peak[0].strip() if peak else ""))
    finally:
        wd.stop(proc)
        srv.close()
        log.close()
