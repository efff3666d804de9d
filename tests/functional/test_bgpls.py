"""BGP-LS (RFC 9552, AFI 16388 SAFI 71/72) on receipt: the JSON of node,
link and prefix NLRI and of the BGP-LS attribute's TLVs is Debian's
ExaBGP 4.2's (compared with "exabgp --decode" on UPDATEs built by hand in
bgpls_vectors.py), what 4.2 cannot print is printed as 4.2 meant it, the
RFC 9552 8.2.2 / RFC 7606 outcomes of malformed NLRI and attributes, and
a session negotiates the family and hands the same JSON to a helper."""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
API = os.path.join(TOP, "tests", "api")
sys.path.insert(0, os.path.join(TOP, "tests", "conformance"))
import bgp_peer as bp  # noqa: E402

sys.path.insert(0, HERE)
import scripted_peer  # noqa: E402
import checks  # noqa: E402  (tests/checks.py, on the path from conftest.py)
import bgpls_vectors as bv  # noqa: E402
from bgpls_vectors import tlv, nlri, header, update  # noqa: E402
from test_rtc import wait_for  # noqa: E402

FASTBGP = os.path.abspath(os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp")))
EXABGP = shutil.which("exabgp")


def fastbgp_decode(msg):
    out = subprocess.run([FASTBGP, "decode", msg.hex()], capture_output=True, text=True, timeout=30)
    return out


def fastbgp_update(msg):
    """The text of the event from its "message" on, as ExaBGP's"""
    out = fastbgp_decode(msg)
    assert out.returncode == 0, out.stdout + out.stderr
    problem = checks.validate_event(json.loads(out.stdout))  # valid JSON, and valid against docs/schema
    assert problem is None, (problem, out.stdout)
    return re.search(r'"message": (.*)$', out.stdout, re.M).group(1)


def fastbgp_message(msg):
    out = fastbgp_decode(msg)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)["neighbor"]["message"]


def exabgp_update(msg, workdir):
    conf = os.path.join(workdir, "bgpls.conf")
    with open(conf, "w") as fh:
        fh.write("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n"
                 " local-as 65533;\n peer-as 65533;\n family { bgp-ls bgp-ls; }\n}\n")
    env = dict(os.environ, exabgp_api_cli="false", exabgp_log_destination="stderr")
    out = subprocess.run([EXABGP, "--decode", msg.hex().upper(), conf], capture_output=True, text=True,
                         timeout=60, env=env, cwd=workdir)
    m = re.search(r'update json .*?"message": (.*)$', out.stdout + out.stderr, re.M)
    return m.group(1) if m else None


@pytest.mark.skipif(EXABGP is None, reason="Debian's exabgp is not installed")
@pytest.mark.parametrize("name,msg", bv.CASES, ids=[c[0] for c in bv.CASES])
def test_json_matches_exabgp_decode(name, msg):
    workdir = tempfile.mkdtemp(prefix="bgpls-exabgp-")
    ref = exabgp_update(msg, workdir)
    assert ref, "ExaBGP decoded nothing for %s" % name
    assert fastbgp_update(msg) == ref
    shutil.rmtree(workdir, ignore_errors=True)


def routes(msg, section="announce"):
    fam = fastbgp_message(msg)["update"].get(section, {}).get("bgp-ls bgp-ls")
    if fam is None:
        return []
    return [r for per_nh in fam.values() for r in per_nh] if isinstance(fam, dict) else fam


def test_what_exabgp_42_cannot_print():
    # a link with link identifiers (258) and multi-topology ids (263):
    # 4.2 raises / never returns on them
    link = nlri(2, header(2) + bv.ISIS_A + bv.ISIS_B + tlv(258, struct.pack("!II", 7, 9)) +
                tlv(263, bytes([0, 0, 0x80, 2])))
    (r,) = routes(update([link]))
    assert r["link-identifiers"] == {"link-local-id": 7, "link-remote-id": 9}
    assert r["multi-topology-ids"] == [0, 2]  # the 4 reserved bits are not part of it
    # the adjacency SID (RFC 9085 2.2.1): 4.2 fails on every one
    attrs = fastbgp_message(update([bv.LINK_V4], bv.ADJ_SID))["update"]["attribute"]["bgp-ls"]
    assert attrs["sids"] == [[16001]] and attrs["sr-adj-weight"] == 1 and attrs["sr-adj-flags"]["V"] == 1
    # an IPv6 next-hop (RFC 9552 5.5; 4.2 wants 4 bytes)
    out = fastbgp_message(update([bv.NODE_ISIS], nh=bytes.fromhex("20010db8" + "00" * 11 + "01")))
    assert list(out["update"]["announce"]["bgp-ls bgp-ls"]) == ["2001:db8::1"]


def test_bgp_ls_vpn_has_its_rd():
    rd = struct.pack("!HHI", 0, 65000, 7)  # type 0: 65000:7
    node = nlri(1, rd + header(2) + bv.ISIS_A)
    out = fastbgp_message(update([node], safi=bv.SAFI_BGPLS_VPN))
    (r,) = out["update"]["announce"]["bgp-ls bgp-ls-vpn"]["10.0.0.1"]
    assert r["rd"] == "65000:7" and r["node-descriptors"]["autonomous-system"] == 65000


def test_malformed_nlri_is_treat_as_withdraw():
    # RFC 9552 8.2.2: delimited by its length but malformed inside: the
    # UPDATE's routes are withdrawn (RFC 7606 2), the bad one not shown
    bad = [
        nlri(1, header(2)),                                            # no local node descriptors
        nlri(1, header(2) + tlv(999, b"") + bv.ISIS_A),                # not first
        nlri(1, header(2)[:5]),                                        # shorter than its header
        nlri(2, header(2) + bv.ISIS_A),                                # a link without its remote node
        nlri(3, header(2) + bv.ISIS_A),                                # a prefix without IP reachability
        nlri(3, header(2) + bv.ISIS_A + tlv(265, bytes([33, 1, 2, 3, 4, 5]))),  # 33 bits of IPv4
        nlri(3, header(2) + bv.ISIS_A + tlv(265, bytes([24, 10, 1]))),  # 24 bits in 2 bytes
        nlri(1, header(2) + bv.local(tlv(512, b"\x00\x01"))),          # a 2-byte AS
        nlri(1, header(2) + bv.local(tlv(515, b"\x01\x02\x03\x04\x05"))),  # a 5-byte router-id
        nlri(1, header(2) + tlv(256, b"\x02\x00\x00\x08\x00")),         # sub-TLV overruns
        nlri(2, header(2) + bv.ISIS_A + bv.ISIS_B + tlv(258, b"\x00" * 4)),  # link ids of 4 bytes
    ]
    for b in bad:
        out = fastbgp_message(update([bv.NODE_ISIS, b]))["update"]
        assert "announce" not in out, b.hex()
        assert len(out["withdraw"]["bgp-ls bgp-ls"]) == 1, b.hex()


def test_nlri_overrunning_its_field_is_refused():
    # the field cannot be walked: RFC 7606 5.3 session reset (fastbgp has
    # no AFI/SAFI disable), so decode refuses the message
    for field in (bv.NODE_ISIS + b"\x00\x01\x00\x40", bv.NODE_ISIS + b"\x00"):
        out = fastbgp_decode(update([field]))
        assert out.returncode != 0 and "invalid payload" in out.stdout + out.stderr


def test_malformed_attribute_is_discarded():
    # RFC 9552 8.2.2: attribute discard, the routes stay
    for bad in (tlv(1024, b"\x80\x00"), tlv(1089, b"\x00\x00"), tlv(1091, b"\x00" * 31), tlv(1096, b"\x00" * 6),
                tlv(1034, b"\xc0\x00\x00\x00\x10" + tlv(1162, b"\x00\x00\x10")), tlv(1155, b"\x00\x01"), b"\x00",
                b"\x04\x00\x00\x09\x00"):
        out = fastbgp_message(update([bv.NODE_ISIS], bad))["update"]
        assert "bgp-ls" not in out["attribute"] and "attribute-0x1D-0x80" not in out["attribute"], bad.hex()
        assert len(out["announce"]["bgp-ls bgp-ls"]["10.0.0.1"]) == 1


CONF = """process rec {
    run %s/record.py %s;
    encoder json;
}
neighbor 127.0.0.1 {
    router-id 10.0.0.1;
    local-address 127.0.0.1;
    local-as 65000;
    peer-as 65001;
    hold-time 30;
    family { bgp-ls bgp-ls; }
    # the vectors carry an empty AS_PATH, as ExaBGP's decode takes them
    enforce-first-as false;
    api { processes [ rec ]; receive { parsed; update; } }
}
"""


def test_session_hands_the_decoded_json_to_a_helper():
    workdir = tempfile.mkdtemp(prefix="bgpls-session-")
    events = os.path.join(workdir, "events.json")
    conf = os.path.join(workdir, "bgpls.conf")
    with open(conf, "w") as fh:
        fh.write(CONF % (API, events))
    msg = update([bv.LINK_V4], bv.LINK_ATTR)
    with scripted_peer.connected_daemon([FASTBGP], conf, workdir) as (conn, reader):
        their = reader.read(10)
        assert their is not None and their[18] == 1
        caps = bp.parse_open(their)["capabilities"]
        ls_cap = (1, struct.pack("!HBB", bv.AFI_BGPLS, 0, bv.SAFI_BGPLS))
        assert ls_cap in caps, "no multiprotocol capability for bgp-ls in %r" % caps
        mine = [bp.capability(1, ls_cap[1]), bp.capability(65, struct.pack("!I", 65001))]
        conn.sendall(bp.build_open(65001, 30, "10.0.0.2", mine) + bp.build_keepalive())
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            m = reader.read(1)
            if m is not None and m[18] == 4:
                break
        conn.sendall(msg)
        line = wait_for(events, '"bgp-ls bgp-ls"', 15)
        assert line is not None, "the helper got no bgp-ls event"
        got = json.loads(line)["neighbor"]["message"]["update"]
        want = fastbgp_message(msg)["update"]
        assert got == want  # one decoder: the session's JSON is decode's
        assert got["announce"]["bgp-ls bgp-ls"]["10.0.0.1"][0]["ls-nlri-type"] == "bgpls-link"
        assert got["attribute"]["bgp-ls"]["maximum-link-bandwidth"] == 1.25e9
    shutil.rmtree(workdir, ignore_errors=True)
