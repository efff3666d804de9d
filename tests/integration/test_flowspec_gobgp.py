"""FlowSpec interop: fastbgp announces IPv4 FlowSpec rules (RFC 8955) to GoBGP.

GoBGP listens (passive) on its own loopback address 127.A.B.C, port P; fastbgp
connects to it from 127.0.0.1 (env exabgp_tcp_port=P) with a configuration
holding two rules:
  destination 10.0.0.1/32, protocol tcp, destination-port =80  -> rate-limit 9600
  source 10.0.0.0/24, destination-port [ >8080&<8088 ]         -> discard
The test waits (bounded) until `gobgp global rib -a ipv4-flowspec` shows both
and checks their match components and actions.  Every process the test starts
is stopped by PID at the end.  Skipped when gobgpd is not installed.

Run: FASTBGP=build/asan/fastbgp /usr/bin/python3 -m pytest -q tests/integration/test_flowspec_gobgp.py
"""

import os
import random
import signal
import subprocess
import sys
import time

import pytest

GOBGPD = "/usr/bin/gobgpd"
GOBGP = "/usr/bin/gobgp"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TIMEOUT = 20.0
sys.path.insert(0, os.path.join(REPO, "tests"))
import testports  # noqa: E402

pytestmark = pytest.mark.gobgp


def fastbgp_binary():
    return os.environ.get("FASTBGP") or os.path.join(REPO, "build", "asan", "fastbgp")


def free_port(addr):
    return testports.free_port(addr)  # FASTBGP_TEST_PORT_BASE or the OS


API_PORT = {}  # gobgpd's gRPC port, by address: chosen per test, never a fixed one


def pick_address():
    """A loopback address of our own (Linux routes all of 127/8 to lo)."""
    rnd = random.Random(os.getpid() ^ int(time.time() * 1000))
    for _ in range(20):
        addr = "127.%d.%d.%d" % (rnd.randrange(64, 250), rnd.randrange(1, 250), rnd.randrange(2, 250))
        try:
            free_port(addr)
            return addr
        except OSError:
            continue
    raise RuntimeError("no usable loopback address")


def start(argv, log_path, env=None):
    log = open(log_path, "wb")
    try:
        return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)
    finally:
        log.close()


def stop(proc):
    """SIGTERM, then SIGKILL after a bounded wait; only this PID (and its group)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=5)


def gobgp(addr, *args):
    p = subprocess.run([GOBGP, "-p", str(API_PORT[addr]), "-u", addr] + list(args), stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=10, check=False)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def tail(path, n=40):
    try:
        with open(path, "rb") as f:
            return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
    except OSError:
        return "(no log)"


GOBGP_CONF = """
[global.config]
  as = 65001
  router-id = "{addr}"
  port = {port}
  local-address-list = ["{addr}"]

[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 65000
  [neighbors.transport.config]
    passive-mode = true
    local-address = "{addr}"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-flowspec"
"""

FASTBGP_CONF = """
neighbor {addr} {{
	router-id 10.0.0.1;
	local-address 127.0.0.1;
	local-as 65000;
	peer-as 65001;
	family {{
		ipv4 flow;
	}}
	flow {{
		route web {{
			match {{
				destination 10.0.0.1/32;
				protocol tcp;
				destination-port =80;
			}}
			then {{
				rate-limit 9600;
			}}
		}}
		route proxy {{
			match {{
				source 10.0.0.0/24;
				destination-port [ >8080&<8088 ];
			}}
			then {{
				discard;
			}}
		}}
	}}
}}
"""


def test_flowspec_to_gobgp(tmp_path):
    if not (os.access(GOBGPD, os.X_OK) and os.access(GOBGP, os.X_OK)):
        pytest.skip("gobgpd/gobgp not installed (apt-get install -y gobgpd)")
    binary = fastbgp_binary()
    if not os.access(binary, os.X_OK):
        pytest.fail("no fastbgp binary at %s (make VARIANT=asan build, or set FASTBGP)" % binary)

    addr = pick_address()
    port = free_port(addr)
    gconf = tmp_path / "gobgpd.toml"
    gconf.write_text(GOBGP_CONF.format(addr=addr, port=port))
    fconf = tmp_path / "fastbgp.conf"
    fconf.write_text(FASTBGP_CONF.format(addr=addr))

    env = dict(os.environ)
    env.update({
        "exabgp_tcp_port": str(port),
        "exabgp_tcp_bind": "",
        "exabgp_api_cli": "false",
        "exabgp_log_destination": "stdout",
    })
    gproc = fproc = None
    try:
        API_PORT[addr] = free_port(addr)
        gproc = start([GOBGPD, "-f", str(gconf), "-t", "toml", "--api-hosts", "%s:%d" % (addr, API_PORT[addr]),
                       "--pprof-disable"], tmp_path / "gobgpd.log")
        # gobgpd listens once its config is loaded
        deadline = time.monotonic() + TIMEOUT
        while gobgp(addr, "global")[0] != 0:
            assert gproc.poll() is None, "gobgpd exited:\n" + tail(tmp_path / "gobgpd.log")
            assert time.monotonic() < deadline, "gobgpd API not up:\n" + tail(tmp_path / "gobgpd.log")
            time.sleep(0.2)

        fproc = start([binary, str(fconf)], tmp_path / "fastbgp.log", env=env)

        out = ""
        deadline = time.monotonic() + TIMEOUT
        while True:
            rc, out = gobgp(addr, "global", "rib", "-a", "ipv4-flowspec")
            if rc == 0 and "10.0.0.1/32" in out and "10.0.0.0/24" in out:
                break
            assert fproc.poll() is None, "fastbgp exited (%s):\n%s" % (fproc.returncode,
                                                                      tail(tmp_path / "fastbgp.log"))
            assert gproc.poll() is None, "gobgpd exited:\n" + tail(tmp_path / "gobgpd.log")
            assert time.monotonic() < deadline, (
                "GoBGP did not show the rules within %.0fs\nrib:\n%s\nneighbor:\n%s\nfastbgp log:\n%s\n"
                "gobgpd log:\n%s" % (TIMEOUT, out, gobgp(addr, "neighbor")[1],
                                     tail(tmp_path / "fastbgp.log"), tail(tmp_path / "gobgpd.log")))
            time.sleep(0.3)

        print(out)
        lines = [line for line in out.splitlines() if "10.0.0." in line]
        web = [line for line in lines if "10.0.0.1/32" in line]
        proxy = [line for line in lines if "10.0.0.0/24" in line]
        assert len(web) == 1 and len(proxy) == 1, out
        web, proxy = web[0], proxy[0]
        # match components, as GoBGP prints them
        assert "[destination: 10.0.0.1/32]" in web, web
        assert "[protocol: ==tcp]" in web, web
        assert "[destination-port: ==80]" in web, web
        assert "[source: 10.0.0.0/24]" in proxy, proxy
        assert "[destination-port: >8080&<8088]" in proxy, proxy
        # actions: traffic-rate 9600 and traffic-rate 0 (discard)
        assert "rate: 9600" in web, web
        assert "discard" in proxy, proxy
        # the path came from fastbgp over eBGP
        assert "65000" in web and "65000" in proxy, out
    finally:
        stop(fproc)
        stop(gproc)
