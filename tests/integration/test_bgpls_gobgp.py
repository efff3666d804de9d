"""BGP-LS interop: fastbgp receives BGP-LS (RFC 9552) from GoBGP.

gobgpd 3.10 cannot originate BGP-LS from its CLI (`gobgp global rib -a ls
add ...` answers "unsupported route family: ls"), but it decodes, stores
and re-advertises BGP-LS routes it learns.  So the test tells GoBGP what
to send by announcing BGP-LS routes to it from a scripted peer (AS 65002,
the UPDATEs of tests/functional/bgpls_vectors.py, RFC 9552 / RFC 9085
TLVs); GoBGP (AS 65001) re-encodes them from its own decoding and sends
them to fastbgp (AS 65000), whose helper records the JSON events.  The
test checks the JSON fastbgp prints against what GoBGP was told: the
node, link and prefix descriptors, and the attribute TLVs, and that GoBGP
itself shows the routes (`gobgp global rib -a ls`).

Every process the test starts is stopped by PID; waits are bounded.
Skipped when gobgpd is not installed.

Run: FASTBGP=build/asan/fastbgp /usr/bin/python3 -m pytest -q tests/integration/test_bgpls_gobgp.py
"""
import json
import os
import socket
import struct
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "conformance"))
sys.path.insert(0, os.path.join(REPO, "tests", "functional"))
sys.path.insert(0, HERE)
import bgp_peer as bp  # noqa: E402
import bgpls_vectors as bv  # noqa: E402
from test_flowspec_gobgp import (API_PORT, GOBGP, GOBGPD, fastbgp_binary, free_port, gobgp, pick_address, start,  # noqa: E402
                                 stop, tail)

TIMEOUT = 20.0
pytestmark = pytest.mark.gobgp

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
      afi-safi-name = "ls"

[[neighbors]]
  [neighbors.config]
    neighbor-address = "{origin}"
    peer-as = 65002
  [neighbors.transport.config]
    passive-mode = true
    local-address = "{addr}"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ls"
"""

FASTBGP_CONF = """
process rec {{
    run {api}/record.py {events};
    encoder json;
}}
neighbor {addr} {{
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65001;
    family {{ bgp-ls bgp-ls; }}
    api {{ processes [ rec ]; receive {{ parsed; update; }} }}
}}
"""

# what GoBGP is told to send: (NLRI, BGP-LS attribute)
SENT = [
    (bv.NODE_ISIS, bv.tlv(1026, b"router1") + bv.tlv(1027, bytes.fromhex("490001")) +
     bv.tlv(1028, bytes([1, 1, 1, 1]))),
    (bv.LINK_V4, bv.tlv(1089, bv.f32(1.25e9)) + bv.tlv(1092, struct.pack("!I", 20)) +
     bv.tlv(1095, bytes([0, 10]))),
    (bv.PREFIX_V4, bv.tlv(1155, struct.pack("!I", 10)) +
     bv.tlv(1158, bytes([0x40, 0, 0, 0]) + struct.pack("!I", 16001))),
]


def ls_update(nlri, lsattr, nh):
    # eBGP from AS 65002: AS_PATH [65002], NEXT_HOP in MP_REACH (RFC 9552 5.5)
    attrs = (bv.attr(0x40, 1, b"\x00") + bv.attr(0x40, 2, b"\x02\x01" + struct.pack("!I", 65002)) +
             bv.attr(0x80, 14, struct.pack("!HBB", bv.AFI_BGPLS, bv.SAFI_BGPLS, 4) + socket.inet_aton(nh) +
                     b"\x00" + nlri) + bv.attr(0x80, 29, lsattr))
    return bv.frame(2, struct.pack("!HH", 0, len(attrs)) + attrs)


def read_exactly(sock, n, deadline):
    buf = b""
    while len(buf) < n:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("GoBGP closed the scripted session")
        buf += chunk
    return buf


def read_msg(sock, deadline):
    """One whole BGP message (header first, then the rest of its length)."""
    head = read_exactly(sock, 19, deadline)
    return head + read_exactly(sock, struct.unpack("!H", head[16:18])[0] - 19, deadline)


def events_with(path, key):
    out = []
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                if key in line:
                    out.append(json.loads(line))
    return out


def test_bgpls_from_gobgp(tmp_path):
    if not (os.access(GOBGPD, os.X_OK) and os.access(GOBGP, os.X_OK)):
        pytest.skip("gobgpd/gobgp not installed (apt-get install -y gobgpd)")
    binary = fastbgp_binary()
    assert os.access(binary, os.X_OK), "no fastbgp binary at %s" % binary
    addr = pick_address()
    origin = pick_address()
    while origin == addr:
        origin = pick_address()
    port = free_port(addr)
    (tmp_path / "gobgpd.toml").write_text(GOBGP_CONF.format(addr=addr, port=port, origin=origin))
    events = tmp_path / "events.json"
    (tmp_path / "fastbgp.conf").write_text(FASTBGP_CONF.format(addr=addr, api=os.path.join(REPO, "tests", "api"),
                                                                 events=events))
    env = dict(os.environ, exabgp_tcp_port=str(port), exabgp_tcp_bind="", exabgp_api_cli="false",
               exabgp_log_destination="stdout")
    gproc = fproc = sock = None
    try:
        API_PORT[addr] = free_port(addr)  # gobgp() of test_flowspec_gobgp uses it
        gproc = start([GOBGPD, "-f", str(tmp_path / "gobgpd.toml"), "-t", "toml", "--api-hosts",
                       "%s:%d" % (addr, API_PORT[addr]), "--pprof-disable"], tmp_path / "gobgpd.log")
        deadline = time.monotonic() + TIMEOUT
        while gobgp(addr, "global")[0] != 0:
            assert gproc.poll() is None, "gobgpd exited:\n" + tail(tmp_path / "gobgpd.log")
            assert time.monotonic() < deadline, "gobgpd API not up:\n" + tail(tmp_path / "gobgpd.log")
            time.sleep(0.2)
        fproc = start([binary, str(tmp_path / "fastbgp.conf")], tmp_path / "fastbgp.log", env=env)

        # the scripted origin: OPEN with the BGP-LS multiprotocol capability
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                sock = socket.create_connection((addr, port), timeout=2, source_address=(origin, 0))
                break
            except OSError:
                assert time.monotonic() < deadline, "cannot connect to gobgpd:\n" + tail(tmp_path / "gobgpd.log")
                time.sleep(0.3)
        caps = [bp.capability(1, struct.pack("!HBB", bv.AFI_BGPLS, 0, bv.SAFI_BGPLS)),
                bp.capability(65, struct.pack("!I", 65002))]
        sock.sendall(bp.build_open(65002, 90, origin, caps))
        deadline = time.monotonic() + TIMEOUT
        got_open = False
        while True:
            m = read_msg(sock, deadline)
            if m[18] == 1:
                got_open = True
                sock.sendall(bp.build_keepalive())
            elif m[18] == 4 and got_open:
                break
            assert m[18] != 3, "GoBGP refused the scripted session: %s" % m.hex()
        for nlri, lsattr in SENT:
            sock.sendall(ls_update(nlri, lsattr, origin))

        # fastbgp's helper sees the three routes, as GoBGP re-encoded them
        deadline = time.monotonic() + TIMEOUT
        routes = {}
        while len(routes) < 3:
            for ev in events_with(events, '"bgp-ls bgp-ls"'):
                upd = ev["neighbor"]["message"]["update"]
                for nh, rs in upd.get("announce", {}).get("bgp-ls bgp-ls", {}).items():
                    for r in rs:
                        routes[r["ls-nlri-type"]] = (nh, r, upd["attribute"])
            if len(routes) >= 3:
                break
            assert fproc.poll() is None, "fastbgp exited:\n" + tail(tmp_path / "fastbgp.log")
            assert time.monotonic() < deadline, (
                "fastbgp got %r within %.0fs\ngobgp rib:\n%s\nfastbgp log:\n%s\ngobgpd log:\n%s" % (
                    sorted(routes), TIMEOUT, gobgp(addr, "global", "rib", "-a", "ls")[1],
                    tail(tmp_path / "fastbgp.log"), tail(tmp_path / "gobgpd.log")))
            time.sleep(0.3)
        # GoBGP holds them too (its table view panics on BGP-LS in 3.10:
        # the JSON view is asked)
        rc, rib = gobgp(addr, "-j", "global", "rib", "-a", "ls")
        assert rc == 0 and len(json.loads(rib)) == 3, rib

        nh, node, attrs = routes["bgpls-node"]
        assert node["protocol-id"] == 2 and node["l3-routing-topology"] == 0
        assert node["node-descriptors"] == {"autonomous-system": 65000, "bgp-ls-identifier": "0",
                                            "router-id": "000000000001"}
        assert node["nexthop"] == nh
        assert attrs["as-path"] == [65001, 65002]
        ls = attrs["bgp-ls"]
        assert ls["node-name"] == "router1" and ls["area-id"] == "490001"
        assert ls["local-te-router-ids"] == ["1.1.1.1"]

        _, link, attrs = routes["bgpls-link"]
        assert link["local-node-descriptors"]["router-id"] == "000000000001"
        assert link["remote-node-descriptors"]["router-id"] == "000000000002"
        assert link["interface-address"] == {"interface-address": "10.0.0.1"}
        assert link["neighbor-address"] == {"neighbor-address": "10.0.0.2"}
        ls = attrs["bgp-ls"]
        assert ls["maximum-link-bandwidth"] == 1.25e9 and ls["te-metric"] == 20 and ls["igp-metric"] == 10

        _, prefix, attrs = routes["bgpls-prefix-v4"]
        assert prefix["protocol-id"] == 3 and prefix["l3-routing-topology"] == 5
        assert prefix["node-descriptors"] == {"autonomous-system": 65001, "ospf-area-id": "0.0.0.0",
                                              "router-id": "1.1.1.1"}
        assert prefix["ip-reach-prefix"] == "10.1.2.0/24" and prefix["ospf-route-type"] == 1
        ls = attrs["bgp-ls"]
        # GoBGP 3.10 re-advertises the prefix SID but drops the prefix
        # metric (TLV 1155) it was given
        assert ls["sids"] == [16001] and ls["sr-prefix-flags"]["N"] == 1
    finally:
        if sock is not None:
            sock.close()
        stop(fproc)
        stop(gproc)
