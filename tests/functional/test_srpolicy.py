"""SR policy NLRI (SAFI 73, draft-ietf-idr-sr-policy-safi / RFC 9830 2.1),
received: "ipv4 sr-policy" and "ipv6 sr-policy" printed as ExaBGP 5.0 prints
them (ExaBGP 4.2 has no such family), a length other than 96 / 192 bits
refused, and the family accepted in a family block.  Vectors written by hand
after the draft's NLRI layout."""
import json
import os
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
FASTBGP = os.path.abspath(os.environ.get("FASTBGP", os.path.join(TOP, "build", "asan", "fastbgp")))

SAFI_SR_POLICY = 73


def attr(flags, code, value):
    return struct.pack("!BBB", flags, code, len(value)) + value


def sr_update(afi, nlri, nexthop, unreach=False):
    if unreach:
        mp = attr(0x80, 15, struct.pack("!HB", afi, SAFI_SR_POLICY) + nlri)
    else:
        mp = attr(0x80, 14, struct.pack("!HBB", afi, SAFI_SR_POLICY, len(nexthop)) + nexthop + b"\x00" + nlri)
    attrs = attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + attr(0x40, 5, struct.pack("!I", 100)) + mp
    body = struct.pack("!HH", 0, len(attrs)) + attrs
    return (b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body).hex()


def policy(distinguisher, color, endpoint):
    body = struct.pack("!II", distinguisher, color) + endpoint
    return bytes([len(body) * 8]) + body


def decode(hexmsg):
    out = subprocess.run([FASTBGP, "decode", hexmsg], capture_output=True, text=True, timeout=30)
    return out.returncode, out.stdout + out.stderr


def test_ipv4_and_ipv6_routes():
    nlri = policy(1, 100, bytes([10, 0, 0, 9])) + policy(2, 200, bytes([10, 0, 0, 10]))
    rc, out = decode(sr_update(1, nlri, bytes([10, 0, 0, 1])))
    assert rc == 0, out
    update = json.loads(out)["neighbor"]["message"]["update"]
    assert update["announce"] == {"ipv4 sr-policy": {"10.0.0.1": [
        {"distinguisher": 1, "color": 100, "endpoint": "10.0.0.9"},
        {"distinguisher": 2, "color": 200, "endpoint": "10.0.0.10"}]}}
    v6 = bytes.fromhex("20010db8000000000000000000000001")
    rc, out = decode(sr_update(2, policy(7, 0xFFFFFFFF, v6), bytes.fromhex("20010db8000000000000000000000002")))
    assert rc == 0, out
    update = json.loads(out)["neighbor"]["message"]["update"]
    assert update["announce"] == {"ipv6 sr-policy": {"2001:db8::2": [
        {"distinguisher": 7, "color": 4294967295, "endpoint": "2001:db8::1"}]}}


def test_withdraw():
    rc, out = decode(sr_update(1, policy(1, 100, bytes([10, 0, 0, 9])), b"", unreach=True))
    assert rc == 0, out
    update = json.loads(out)["neighbor"]["message"]["update"]
    assert update["withdraw"] == {"ipv4 sr-policy": [{"distinguisher": 1, "color": 100, "endpoint": "10.0.0.9"}]}


def test_malformed_lengths_are_refused():
    # 64 bits (no endpoint), an IPv6-sized NLRI in IPv4, a length past the field
    for afi, nlri in ((1, bytes([64]) + struct.pack("!II", 1, 100)),
                      (1, policy(1, 100, bytes(16))),
                      (2, bytes([192]) + struct.pack("!II", 1, 100) + bytes(4))):
        rc, out = decode(sr_update(afi, nlri, bytes([10, 0, 0, 1])))
        assert rc != 0 and "invalid payload" in out, (afi, nlri.hex(), out)


def test_family_in_configuration():
    workdir = tempfile.mkdtemp(prefix="srpolicy-")
    conf = os.path.join(workdir, "sr.conf")
    with open(conf, "w") as fh:
        fh.write("neighbor 127.0.0.1 {\n router-id 10.0.0.1;\n local-address 127.0.0.1;\n local-as 65000;\n"
                 " peer-as 65001;\n family { ipv4 sr-policy; ipv6 sr-policy; }\n}\n")
    out = subprocess.run([FASTBGP, "-t", conf], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    os.unlink(conf)
    os.rmdir(workdir)
