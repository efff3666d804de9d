#!/usr/bin/python3
"""Writes tests/corpus/malformed.txt: the malformed-message corpus.

    tests/corpus/gen_malformed.py > tests/corpus/malformed.txt

Each case is built here from small helpers (attribute, UPDATE, MP_REACH...)
so that the hex in malformed.txt stays readable to review; the expected
outcome of every case is written by hand next to it, from the RFC named in
its last column, not from what fastbgp does.  The file is the test's input
(tests/functional/test_malformed_corpus.py); regenerate it after editing
this script and review the diff.

Line format (fields separated by " | "):

    name | session | phase | hex | expect | class | rfc

session  which scripted peer sends it: ibgp4 (iBGP, 4-octet AS), ibgp2
         (iBGP, no 4-octet AS capability), ibgp4ap (iBGP, ADD-PATH for IPv4
         and IPv6 unicast), ebgp4 (external peer AS 65001)
phase    preopen: the first message on a new connection (no OPEN before);
         open: sent instead of our OPEN; established: after the session
         is up (OPEN and KEEPALIVE exchanged)
hex      the whole message, header included
expect   notify:C/S[:DATAHEX]  a NOTIFICATION with this code/subcode (and data)
         close                 the connection closed, no NOTIFICATION
         up                    the session comes up / stays up, nothing sent
         announce              the UPDATE's routes are announced to the helper
         withdraw              nothing is announced: the routes are withdrawn
         discard:KEY           announced, without the attribute KEY in the event
         eor                   an End-of-RIB marker
class    the RFC outcome class counted in the report: session-reset,
         treat-as-withdraw, attribute-discard, accepted, withdrawal, ignored
"""
import ipaddress
import struct
import sys

OPEN, UPDATE, NOTIFICATION, KEEPALIVE, REFRESH = 1, 2, 3, 4, 5
LOCAL_AS, EBGP_AS = 65000, 65001
OUR_ADDR = "127.0.0.1"      # fastbgp's local-address
EBGP_ADDR = "127.0.0.3"     # the external scripted peer's address
NH = "192.0.2.1"

CASES = []
_n = [0]


def frame(mtype, body, length=None):
    n = 19 + len(body) if length is None else length
    return b"\xff" * 16 + struct.pack("!HB", n, mtype) + body


def attr(flags, code, value):
    if flags & 0x10 or len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def v4(a):
    return ipaddress.IPv4Address(a).packed


def v6(a):
    return ipaddress.IPv6Address(a).packed


def pfx4(i, plen=24):
    """A prefix unique to case i: 10.(i/256).(i%256).0/24."""
    b = bytes([10, (i >> 8) & 0xFF, i & 0xFF, 0])
    return bytes([plen]) + b[:(plen + 7) // 8]


def pfx6(i, plen=48):
    b = bytes([0x20, 0x01, 0x0d, 0xb8, (i >> 8) & 0xFF, i & 0xFF]) + bytes(10)
    return bytes([plen]) + b[:(plen + 7) // 8]


def as_path(asns, asn4=True, seg=2):
    fmt = "!I" if asn4 else "!H"
    return attr(0x40, 2, bytes([seg, len(asns)]) + b"".join(struct.pack(fmt, a) for a in asns))


ORIGIN = attr(0x40, 1, b"\x00")


def base(session, nh=NH):
    first = EBGP_AS if session == "ebgp4" else 65010
    return ORIGIN + as_path([first, 65020], asn4=session != "ibgp2") + attr(0x40, 3, v4(nh))


def base_mp(session):
    first = EBGP_AS if session == "ebgp4" else 65010
    return ORIGIN + as_path([first], asn4=session != "ibgp2")


def update(withdrawn=b"", attrs=b"", nlri=b""):
    return frame(UPDATE, struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) +
                 attrs + nlri)


def mp_reach(afi, safi, nh, nlri, flags=0x80):
    return attr(flags, 14, struct.pack("!HBB", afi, safi, len(nh)) + nh + b"\x00" + nlri)


def mp_unreach(afi, safi, nlri, flags=0x80):
    return attr(flags, 15, struct.pack("!HB", afi, safi) + nlri)


def case(name, session, phase, msg, expect, klass, rfc):
    CASES.append((name, session, phase, msg.hex(), expect, klass, rfc))


def nid():
    """A fresh prefix number for the next case."""
    _n[0] += 1
    return _n[0]


def open_msg(asn=LOCAL_AS, hold=30, rid="10.0.0.2", caps=None, version=4, params=None, trailing=b""):
    if params is None:
        if caps is None:
            caps = [cap(1, struct.pack("!HBB", 1, 0, 1)), cap(65, struct.pack("!I", asn))]
        body = b"".join(caps)
        params = bytes([2, len(body)]) + body if body else b""
    my_as = asn if asn <= 0xFFFF else 23456
    return frame(OPEN, struct.pack("!BHH4sB", version, my_as, hold, v4(rid), len(params)) + params + trailing)


def cap(code, value=b""):
    return bytes([code, len(value)]) + value


# ---- before the OPEN: the listener's first message (RFC 4271 6.1, 8.2.2; RFC 6608) ----

def preopen():
    P = "preopen"
    case("open-28-bytes", "ibgp4", P, frame(OPEN, bytes(9)), "notify:1/2:001c", "session-reset",
         "RFC 4271 6.1 (Bad Message Length, the length as data)")
    case("open-over-4096", "ibgp4", P, frame(OPEN, bytes(10), length=4097), "notify:1/2:1001", "session-reset",
         "RFC 4271 6.1, RFC 8654 (no extended message before the OPEN)")
    case("open-5000", "ibgp4", P, frame(OPEN, bytes(10), length=5000), "notify:1/2:1388", "session-reset",
         "RFC 4271 6.1, RFC 8654")
    case("keepalive-first", "ibgp4", P, frame(KEEPALIVE, b""), "notify:5/1", "session-reset",
         "RFC 4271 8.2.2, RFC 6608 (unexpected message in OpenSent)")
    case("update-first", "ibgp4", P, update(), "notify:5/1", "session-reset", "RFC 4271 8.2.2, RFC 6608")
    case("refresh-first", "ibgp4", P, frame(REFRESH, struct.pack("!HBB", 1, 0, 1)), "notify:5/1",
         "session-reset", "RFC 4271 8.2.2, RFC 6608")
    case("notification-first", "ibgp4", P, frame(NOTIFICATION, b"\x06\x02"), "close", "ignored",
         "RFC 4271 6 (a NOTIFICATION is never answered)")
    case("bad-marker-first", "ibgp4", P, b"\xfe" + frame(OPEN, bytes(10))[1:], "notify:1/1", "session-reset",
         "RFC 4271 6.1 (Connection Not Synchronized)")
    case("length-18-first", "ibgp4", P, frame(OPEN, b"", length=18), "notify:1/2:0012", "session-reset",
         "RFC 4271 6.1")
    case("length-0-first", "ibgp4", P, frame(OPEN, b"", length=0), "notify:1/2:0000", "session-reset",
         "RFC 4271 6.1")
    case("type-7-first", "ibgp4", P, frame(7, b""), "notify:1/3:07", "session-reset",
         "RFC 4271 6.1 (Bad Message Type, the type as data)")
    case("type-0-first", "ibgp4", P, frame(0, b""), "notify:1/3:00", "session-reset", "RFC 4271 6.1")
    case("type-6-first", "ibgp4", P, frame(6, b""), "notify:1/3:06", "session-reset",
         "RFC 4271 6.1 (OPERATIONAL not negotiated)")
    case("keepalive-20-first", "ibgp4", P, frame(KEEPALIVE, b"\x00"), "notify:1/2:0014", "session-reset",
         "RFC 4271 6.1 (KEEPALIVE is 19 octets)")


# ---- the OPEN (RFC 4271 6.2, RFC 5492, RFC 4760 8, RFC 6793 9, RFC 6286) ----

def opens():
    P = "open"
    mp4 = cap(1, struct.pack("!HBB", 1, 0, 1))
    as4 = cap(65, struct.pack("!I", LOCAL_AS))
    case("open-ok", "ibgp4", P, open_msg(), "up", "accepted", "RFC 4271 4.2")
    case("open-no-params", "ibgp4", P, open_msg(caps=[]), "up", "accepted",
         "RFC 4271 4.2 (no optional parameters: IPv4 unicast, 2-octet AS)")
    case("open-version-3", "ibgp4", P, open_msg(version=3), "notify:2/1:0004", "session-reset",
         "RFC 4271 6.2 (data: the largest version supported)")
    case("open-version-5", "ibgp4", P, open_msg(version=5), "notify:2/1:0004", "session-reset", "RFC 4271 6.2")
    case("open-bad-peer-as", "ibgp4", P, open_msg(asn=65099), "notify:2/2", "session-reset", "RFC 4271 6.2")
    case("open-asn4-mismatch", "ibgp4", P, open_msg(caps=[mp4, cap(65, struct.pack("!I", 4200000000))]),
         "notify:2/2", "session-reset", "RFC 6793 4.1, RFC 4271 6.2")
    case("open-router-id-0", "ibgp4", P, open_msg(rid="0.0.0.0"), "notify:2/3", "session-reset",
         "RFC 4271 6.2, RFC 6286")
    case("open-router-id-ours-ibgp", "ibgp4", P, open_msg(rid="10.0.0.1"), "notify:2/3", "session-reset",
         "RFC 6286 2.2 (same identifier inside one AS)")
    case("open-hold-1", "ibgp4", P, open_msg(hold=1), "notify:2/6", "session-reset", "RFC 4271 6.2")
    case("open-hold-2", "ibgp4", P, open_msg(hold=2), "notify:2/6", "session-reset", "RFC 4271 6.2")
    case("open-hold-0", "ibgp4", P, open_msg(hold=0), "up", "accepted", "RFC 4271 4.2 (0: no keepalives)")
    case("open-hold-3", "ibgp4", P, open_msg(hold=3), "up", "accepted", "RFC 4271 4.2")
    case("open-param-type-1", "ibgp4", P, open_msg(params=bytes([1, 2, 0, 0])), "notify:2/4", "session-reset",
         "RFC 4271 6.2 (Unsupported Optional Parameter; RFC 5492 deprecates authentication)")
    case("open-param-overrun", "ibgp4", P, open_msg(params=bytes([2, 10]) + mp4), "notify:2/0", "session-reset",
         "RFC 4271 6.2 (malformed optional parameter: Unspecific)")
    case("open-cap-overrun", "ibgp4", P, open_msg(params=bytes([2, 6, 1, 8, 0, 1, 0, 1])), "notify:2/0",
         "session-reset", "RFC 5492 4, RFC 4271 6.2")
    case("open-trailing-bytes", "ibgp4", P, open_msg(trailing=b"\x00\x00"), "notify:2/0", "session-reset",
         "RFC 4271 4.2, 6.2 (message longer than its parameters)")
    bad_caps = [
        ("mp-len-3", cap(1, b"\x00\x01\x00"), "RFC 4760 8 (length 4), RFC 4271 6.2"),
        ("mp-len-5", cap(1, b"\x00\x01\x00\x01\x00"), "RFC 4760 8, RFC 4271 6.2"),
        ("mp-len-0", cap(1), "RFC 4760 8, RFC 4271 6.2"),
        ("asn4-len-2", cap(65, b"\xfd\xe8"), "RFC 6793 9 (length 4), RFC 4271 6.2"),
        ("asn4-len-0", cap(65), "RFC 6793 9, RFC 4271 6.2"),
        ("asn4-len-5", cap(65, b"\x00\x00\xfd\xe8\x00"), "RFC 6793 9, RFC 4271 6.2"),
        ("route-refresh-len-1", cap(2, b"\x00"), "RFC 2918 2 (length 0), RFC 4271 6.2"),
        ("enhanced-refresh-len-1", cap(70, b"\x00"), "RFC 7313 3.1 (length 0), RFC 4271 6.2"),
        ("extended-message-len-1", cap(6, b"\x00"), "RFC 8654 3 (length 0), RFC 4271 6.2"),
        ("graceful-restart-len-1", cap(64, b"\x00"), "RFC 4724 3 (2 + 4n), RFC 4271 6.2"),
        ("graceful-restart-len-4", cap(64, b"\x00\x78\x00\x01"), "RFC 4724 3, RFC 4271 6.2"),
        ("add-path-len-3", cap(69, b"\x00\x01\x01"), "RFC 7911 4 (4n), RFC 4271 6.2"),
        ("extended-nexthop-len-4", cap(5, b"\x00\x01\x00\x01"), "RFC 8950 3 (6n), RFC 4271 6.2"),
    ]
    for name, c, rfc in bad_caps:
        case("open-cap-" + name, "ibgp4", P, open_msg(caps=[mp4, as4, c]), "notify:2/0", "session-reset", rfc)
    good_caps = [
        ("unknown", cap(99, b"\x01\x02\x03"), "RFC 5492 3 (unknown capabilities are ignored)"),
        ("route-refresh", cap(2), "RFC 2918"),
        ("graceful-restart", cap(64, b"\x00\x78\x00\x01\x01\x00"), "RFC 4724 3"),
        ("add-path", cap(69, b"\x00\x01\x01\x01"), "RFC 7911 4"),
        ("extended-message", cap(6), "RFC 8654 3"),
        ("mp-unknown-family", cap(1, b"\x40\x04\x00\x47"), "RFC 4760 8, RFC 5492 (a family not spoken)"),
    ]
    for name, c, rfc in good_caps:
        case("open-cap-" + name + "-ok", "ibgp4", P, open_msg(caps=[mp4, as4, c]), "up", "accepted", rfc)
    # RFC 9072: extended optional parameters length
    body = mp4 + as4
    ext = bytes([255, 255]) + struct.pack("!H", 3 + len(body)) + bytes([2]) + struct.pack("!H", len(body)) + body
    case("open-rfc9072-ok", "ibgp4", P, frame(OPEN, struct.pack("!BHH4s", 4, LOCAL_AS, 30, v4("10.0.0.2")) + ext),
         "up", "accepted", "RFC 9072 2")
    # After a good OPEN, messages the state does not expect (RFC 6608)
    case("openconfirm-update", "ibgp4", "openconfirm", update(), "notify:5/2", "session-reset",
         "RFC 4271 8.2.2, RFC 6608 (unexpected message in OpenConfirm)")
    case("openconfirm-open", "ibgp4", "openconfirm", open_msg(), "notify:5/2", "session-reset",
         "RFC 4271 8.2.2, RFC 6608")
    case("openconfirm-refresh", "ibgp4", "openconfirm", frame(REFRESH, struct.pack("!HBB", 1, 0, 1)),
         "notify:5/2", "session-reset", "RFC 4271 8.2.2, RFC 6608")
    case("openconfirm-notification", "ibgp4", "openconfirm", frame(NOTIFICATION, b"\x06\x04"), "close",
         "ignored", "RFC 4271 6, 8.2.2")


# ---- established: headers, other message types ----

def headers():
    E = "established"
    case("est-bad-marker", "ibgp4", E, b"\x00" + frame(KEEPALIVE, b"")[1:], "notify:1/1", "session-reset",
         "RFC 4271 6.1")
    case("est-length-18", "ibgp4", E, frame(KEEPALIVE, b"", length=18), "notify:1/2:0012", "session-reset",
         "RFC 4271 6.1")
    case("est-update-over-4096", "ibgp4", E, update(attrs=base("ibgp4") + attr(0xc0, 99, bytes(4100)),
                                                  nlri=pfx4(nid())),
         "notify:1/2:" + struct.pack("!H", 19 + 4 + len(base("ibgp4")) + 4 + 4100 + 4).hex(), "session-reset",
         "RFC 4271 6.1, RFC 8654 (extended message not negotiated)")
    case("est-type-7", "ibgp4", E, frame(7, b"\x00"), "notify:1/3:07", "session-reset", "RFC 4271 6.1")
    case("est-type-6", "ibgp4", E, frame(6, b"\x00\x01"), "notify:1/3:06", "session-reset", "RFC 4271 6.1")
    case("est-keepalive-20", "ibgp4", E, frame(KEEPALIVE, b"\x00"), "notify:1/2:0014", "session-reset",
         "RFC 4271 6.1")
    case("est-update-22", "ibgp4", E, frame(UPDATE, b"\x00\x00\x00"), "notify:1/2:0016", "session-reset",
         "RFC 4271 6.1 (UPDATE is at least 23 octets)")
    case("est-notification-20", "ibgp4", E, frame(NOTIFICATION, b"\x06"), "notify:1/2:0014", "session-reset",
         "RFC 4271 6.1 (NOTIFICATION is at least 21 octets)")
    case("est-refresh-22", "ibgp4", E, frame(REFRESH, b"\x00\x01\x00"), "notify:1/2:0016", "session-reset",
         "RFC 4271 6.1, RFC 2918 3")
    case("est-open", "ibgp4", E, open_msg(), "notify:5/3", "session-reset",
         "RFC 4271 8.2.2, RFC 6608 (unexpected message in Established)")
    case("est-notification", "ibgp4", E, frame(NOTIFICATION, b"\x06\x02"), "close", "ignored", "RFC 4271 6")
    case("est-keepalive", "ibgp4", E, frame(KEEPALIVE, b""), "up", "accepted", "RFC 4271 4.4")
    case("est-refresh-ok", "ibgp4", E, frame(REFRESH, struct.pack("!HBB", 1, 0, 1)), "up", "accepted",
         "RFC 2918 4")
    case("est-refresh-unknown-family", "ibgp4", E, frame(REFRESH, struct.pack("!HBB", 99, 0, 1)), "up",
         "ignored", "RFC 2918 5 (a family not advertised: ignored)")
    case("est-refresh-subtype-9", "ibgp4", E, frame(REFRESH, struct.pack("!HBB", 1, 9, 1)), "up", "ignored",
         "RFC 7313 5 (unknown subtype: ignored)")
    rr = frame(REFRESH, struct.pack("!HBB", 1, 1, 1) + b"\x00")
    case("est-borr-len-5", "ibgp4", E, rr, "notify:7/1:" + rr.hex(), "session-reset",
         "RFC 7313 5 (Invalid Message Length, the message as data)")


# ---- established: UPDATE framing and the IPv4 NLRI fields (RFC 4271 6.3, RFC 7606 5) ----

def framing():
    E = "established"
    s = "ibgp4"
    case("upd-withdrawn-overrun", s, E, frame(UPDATE, b"\x00\x10\x00\x00"), "notify:3/1", "session-reset",
         "RFC 4271 6.3, RFC 7606 5.1 (Malformed Attribute List)")
    case("upd-attrlen-overrun", s, E, frame(UPDATE, b"\x00\x00\x00\x20" + ORIGIN), "notify:3/1", "session-reset",
         "RFC 4271 6.3, RFC 7606 5.1")
    case("upd-nlri-33", s, E, update(attrs=base(s), nlri=b"\x21\x0a\x00\x00\x00\x00"), "notify:3/10",
         "session-reset", "RFC 4271 6.3 (Invalid Network Field), RFC 7606 5.3")
    case("upd-nlri-truncated", s, E, update(attrs=base(s), nlri=b"\x18\x0a\x00"), "notify:3/10", "session-reset",
         "RFC 4271 6.3, RFC 7606 5.3")
    case("upd-withdrawn-33", s, E, update(withdrawn=b"\x21\x0a\x00\x00\x00\x00"), "notify:3/10", "session-reset",
         "RFC 4271 6.3, RFC 7606 5.3")
    case("upd-withdrawn-truncated", s, E, update(withdrawn=b"\x18\x0a"), "notify:3/10", "session-reset",
         "RFC 4271 6.3, RFC 7606 5.3")
    case("upd-eor-ipv4", s, E, update(), "eor", "accepted", "RFC 4724 2")
    case("upd-ok", s, E, update(attrs=base(s), nlri=pfx4(nid())), "announce", "accepted", "RFC 4271 4.3")
    case("upd-ok-slash-0", s, E, update(attrs=base(s), nlri=b"\x00"), "announce", "accepted", "RFC 4271 4.3")
    case("upd-ok-slash-32", s, E, update(attrs=base(s), nlri=pfx4(nid(), 32)), "announce", "accepted",
         "RFC 4271 4.3")
    case("upd-withdraw", s, E, update(withdrawn=pfx4(nid())), "withdraw", "withdrawal", "RFC 4271 4.3")
    case("upd-attr-header-truncated", s, E, update(attrs=base(s) + b"\x40", nlri=pfx4(nid())), "withdraw",
         "treat-as-withdraw", "RFC 7606 4 (attribute header past the attribute field)")
    case("upd-attr-value-overrun", s, E, update(attrs=base(s) + b"\xc0\x08\x08\x00\x00", nlri=pfx4(nid())),
         "withdraw", "treat-as-withdraw", "RFC 7606 4 (attribute length past the attribute field)")
    case("upd-missing-origin", s, E, update(attrs=as_path([65010]) + attr(0x40, 3, v4(NH)), nlri=pfx4(nid())),
         "withdraw", "treat-as-withdraw", "RFC 7606 3.d")
    case("upd-missing-as-path", s, E, update(attrs=ORIGIN + attr(0x40, 3, v4(NH)), nlri=pfx4(nid())),
         "withdraw", "treat-as-withdraw", "RFC 7606 3.d")
    case("upd-missing-next-hop", s, E, update(attrs=ORIGIN + as_path([65010]), nlri=pfx4(nid())), "withdraw",
         "treat-as-withdraw", "RFC 7606 3.d")
    case("upd-duplicate-origin", s, E, update(attrs=base(s) + attr(0x40, 1, b"\x02"), nlri=pfx4(nid())),
         "announce", "accepted", "RFC 7606 3.g (all but the first discarded)")
    case("upd-unknown-well-known", s, E, update(attrs=base(s) + attr(0x40, 99, b"\x00"), nlri=pfx4(nid())),
         "notify:3/2:40630100", "session-reset", "RFC 4271 6.3 (Unrecognized Well-known Attribute, data: it)")
    case("upd-unknown-optional-transitive", s, E,
         update(attrs=base(s) + attr(0xc0, 99, b"\x00\x01"), nlri=pfx4(nid())), "announce", "accepted",
         "RFC 4271 5, 9 (kept, Partial set)")
    case("upd-unknown-optional-nontransitive", s, E,
         update(attrs=base(s) + attr(0x80, 100, b"\x00\x01"), nlri=pfx4(nid())), "discard:attribute-0x64-0x80",
         "attribute-discard", "RFC 4271 5 (quietly ignored)")
    case("upd-extended-length-short", s, E, update(attrs=ORIGIN + attr(0x50, 2, b"\x02\x01\x00\x00\xfd\xf2") +
                                                   attr(0x40, 3, v4(NH)), nlri=pfx4(nid())),
         "announce", "accepted", "RFC 4271 4.3 (Extended Length on a short value is allowed)")
    case("upd-partial-on-well-known", s, E, update(attrs=attr(0x60, 1, b"\x00") + as_path([65010]) +
                                                   attr(0x40, 3, v4(NH)), nlri=pfx4(nid())),
         "announce", "accepted", "RFC 4271 4.3 (Partial is not an Optional/Transitive conflict), RFC 7606 3.c")


# ---- established: every attribute (RFC 7606 7) ----

def attributes():
    E = "established"
    s = "ibgp4"
    b = ORIGIN + as_path([65010]) + attr(0x40, 3, v4(NH))

    def one(name, extra, expect, klass, rfc, session=s, attrs=None):
        case("attr-" + name, session, E, update(attrs=(attrs if attrs is not None else base(session)) + extra,
                                                 nlri=pfx4(nid())), expect, klass, rfc)

    def replace(name, attrs, expect, klass, rfc, session=s):
        case("attr-" + name, session, E, update(attrs=attrs, nlri=pfx4(nid())), expect, klass, rfc)

    rest = as_path([65010]) + attr(0x40, 3, v4(NH))
    # ORIGIN (7.1)
    for v in (0, 1, 2):
        replace("origin-%d" % v, attr(0x40, 1, bytes([v])) + rest, "announce", "accepted", "RFC 4271 5.1.1")
    replace("origin-3", attr(0x40, 1, b"\x03") + rest, "withdraw", "treat-as-withdraw", "RFC 7606 7.1")
    replace("origin-len-0", attr(0x40, 1, b"") + rest, "withdraw", "treat-as-withdraw", "RFC 7606 7.1")
    replace("origin-len-2", attr(0x40, 1, b"\x00\x00") + rest, "withdraw", "treat-as-withdraw", "RFC 7606 7.1")
    replace("origin-flags-optional", attr(0xc0, 1, b"\x00") + rest, "withdraw", "treat-as-withdraw",
            "RFC 7606 3.c")
    replace("origin-flags-nontransitive", attr(0x00, 1, b"\x00") + rest, "withdraw", "treat-as-withdraw",
            "RFC 7606 3.c")
    # AS_PATH (7.2)
    nh = attr(0x40, 3, v4(NH))

    def path(name, value, expect, klass, rfc, flags=0x40, session=s):
        replace("as-path-" + name, ORIGIN + attr(flags, 2, value) + nh, expect, klass, rfc, session)

    path("set", b"\x01\x02\x00\x00\xfd\xf2\x00\x00\xfd\xf3", "announce", "accepted", "RFC 4271 4.3")
    path("two-segments", b"\x02\x01\x00\x00\xfd\xf2\x01\x01\x00\x00\xfd\xf3", "announce", "accepted",
         "RFC 4271 4.3")
    path("empty-ibgp", b"", "announce", "accepted", "RFC 4271 5.1.2 (iBGP: empty path allowed)")
    path("confed-ibgp", b"\x03\x01\x00\x00\xfd\xf2\x02\x01\x00\x00\xfd\xf3", "announce", "accepted",
         "RFC 5065 3")
    path("segment-type-0", b"\x00\x01\x00\x00\xfd\xf2", "withdraw", "treat-as-withdraw", "RFC 7606 7.2")
    path("segment-type-5", b"\x05\x01\x00\x00\xfd\xf2", "withdraw", "treat-as-withdraw", "RFC 7606 7.2")
    path("segment-empty", b"\x02\x00", "withdraw", "treat-as-withdraw", "RFC 7606 7.2 (zero-length segment)")
    path("overrun", b"\x02\x02\x00\x00\xfd\xf2", "withdraw", "treat-as-withdraw", "RFC 7606 7.2")
    path("underrun", b"\x02\x01\x00\x00\xfd\xf2\x00", "withdraw", "treat-as-withdraw", "RFC 7606 7.2")
    path("odd-length", b"\x02", "withdraw", "treat-as-withdraw", "RFC 7606 7.2")
    path("flags-optional", b"\x02\x01\x00\x00\xfd\xf2", "withdraw", "treat-as-withdraw", "RFC 7606 3.c", 0xc0)
    # NEXT_HOP (7.3, RFC 4271 6.3)
    pre = ORIGIN + as_path([65010])
    replace("next-hop-len-3", pre + attr(0x40, 3, b"\xc0\x00\x02"), "withdraw", "treat-as-withdraw",
            "RFC 7606 7.3")
    replace("next-hop-len-5", pre + attr(0x40, 3, b"\xc0\x00\x02\x01\x00"), "withdraw", "treat-as-withdraw",
            "RFC 7606 7.3")
    for name, a in (("zero", "0.0.0.0"), ("multicast-224.0.0.1", "224.0.0.1"),
                    ("multicast-239.255.255.255", "239.255.255.255"), ("ours", OUR_ADDR)):
        replace("next-hop-" + name, pre + attr(0x40, 3, v4(a)), "withdraw", "treat-as-withdraw",
                "RFC 4271 6.3 (semantically incorrect), RFC 7606 7.3")
    replace("next-hop-223.255.255.255", pre + attr(0x40, 3, v4("223.255.255.255")), "announce", "accepted",
            "RFC 4271 6.3 (a unicast address)")
    replace("next-hop-flags-optional", pre + attr(0xc0, 3, v4(NH)), "withdraw", "treat-as-withdraw",
            "RFC 7606 3.c")
    # MULTI_EXIT_DISC (7.4)
    one("med", attr(0x80, 4, b"\x00\x00\x00\x64"), "announce", "accepted", "RFC 4271 5.1.4")
    one("med-len-3", attr(0x80, 4, b"\x00\x00\x64"), "withdraw", "treat-as-withdraw", "RFC 7606 7.4")
    one("med-len-5", attr(0x80, 4, b"\x00\x00\x00\x00\x64"), "withdraw", "treat-as-withdraw", "RFC 7606 7.4")
    one("med-flags-well-known", attr(0x40, 4, b"\x00\x00\x00\x64"), "withdraw", "treat-as-withdraw",
        "RFC 7606 3.c")
    # LOCAL_PREF (7.5)
    one("local-pref", attr(0x40, 5, b"\x00\x00\x00\x64"), "announce", "accepted", "RFC 4271 5.1.5")
    one("local-pref-len-3", attr(0x40, 5, b"\x00\x00\x64"), "withdraw", "treat-as-withdraw", "RFC 7606 7.5")
    one("local-pref-flags-optional", attr(0xc0, 5, b"\x00\x00\x00\x64"), "withdraw", "treat-as-withdraw",
        "RFC 7606 3.c")
    # ATOMIC_AGGREGATE (7.6)
    one("atomic-aggregate", attr(0x40, 6, b""), "announce", "accepted", "RFC 4271 5.1.6")
    one("atomic-aggregate-len-1", attr(0x40, 6, b"\x00"), "discard:atomic-aggregate", "attribute-discard",
        "RFC 7606 7.6")
    one("atomic-aggregate-flags-optional", attr(0xc0, 6, b""), "withdraw", "treat-as-withdraw", "RFC 7606 3.c")
    # AGGREGATOR (7.7)
    one("aggregator", attr(0xc0, 7, b"\x00\x00\xfd\xf2\xc0\x00\x02\x01"), "announce", "accepted",
        "RFC 4271 5.1.7, RFC 6793")
    one("aggregator-len-6-asn4", attr(0xc0, 7, b"\xfd\xf2\xc0\x00\x02\x01"), "discard:aggregator",
        "attribute-discard", "RFC 7606 7.7")
    one("aggregator-len-7", attr(0xc0, 7, b"\x00\xfd\xf2\xc0\x00\x02\x01"), "discard:aggregator",
        "attribute-discard", "RFC 7606 7.7")
    one("aggregator-flags-well-known", attr(0x40, 7, b"\x00\x00\xfd\xf2\xc0\x00\x02\x01"), "withdraw",
        "treat-as-withdraw", "RFC 7606 3.c")
    # COMMUNITIES (7.8)
    one("community", attr(0xc0, 8, b"\xfd\xe8\x00\x01"), "announce", "accepted", "RFC 1997")
    one("community-len-3", attr(0xc0, 8, b"\xfd\xe8\x00"), "withdraw", "treat-as-withdraw", "RFC 7606 7.8")
    one("community-len-0", attr(0xc0, 8, b""), "withdraw", "treat-as-withdraw", "RFC 7606 7.8")
    one("community-len-6", attr(0xc0, 8, b"\xfd\xe8\x00\x01\x00\x02"), "withdraw", "treat-as-withdraw",
        "RFC 7606 7.8")
    one("community-flags-well-known", attr(0x40, 8, b"\xfd\xe8\x00\x01"), "withdraw", "treat-as-withdraw",
        "RFC 7606 3.c")
    # ORIGINATOR_ID (7.9) and CLUSTER_LIST (7.10), iBGP
    one("originator-id", attr(0x80, 9, v4("10.9.9.9")), "announce", "accepted", "RFC 4456 8")
    one("originator-id-len-3", attr(0x80, 9, b"\x0a\x09\x09"), "withdraw", "treat-as-withdraw", "RFC 7606 7.9")
    one("originator-id-flags-transitive", attr(0xc0, 9, v4("10.9.9.9")), "withdraw", "treat-as-withdraw",
        "RFC 7606 3.c")
    one("cluster-list", attr(0x80, 10, v4("10.9.9.9") + v4("10.8.8.8")), "announce", "accepted", "RFC 4456 8")
    one("cluster-list-len-3", attr(0x80, 10, b"\x0a\x09\x09"), "withdraw", "treat-as-withdraw", "RFC 7606 7.10")
    one("cluster-list-len-0", attr(0x80, 10, b""), "withdraw", "treat-as-withdraw", "RFC 7606 7.10")
    one("cluster-list-len-6", attr(0x80, 10, b"\x0a\x09\x09\x09\x01\x02"), "withdraw", "treat-as-withdraw",
        "RFC 7606 7.10")
    # EXTENDED COMMUNITIES (7.14), IPv6 address specific (7.15), LARGE (RFC 8092 6)
    one("ext-community", attr(0xc0, 16, b"\x00\x02\xfd\xe8\x00\x00\x00\x01"), "announce", "accepted",
        "RFC 4360")
    one("ext-community-len-7", attr(0xc0, 16, b"\x00\x02\xfd\xe8\x00\x00\x00"), "withdraw", "treat-as-withdraw",
        "RFC 7606 7.14")
    one("ext-community-len-0", attr(0xc0, 16, b""), "withdraw", "treat-as-withdraw", "RFC 7606 7.14")
    one("ext-community-len-12", attr(0xc0, 16, bytes(12)), "withdraw", "treat-as-withdraw", "RFC 7606 7.14")
    one("ext-community-flags-well-known", attr(0x40, 16, b"\x00\x02\xfd\xe8\x00\x00\x00\x01"), "withdraw",
        "treat-as-withdraw", "RFC 7606 3.c")
    one("ipv6-ext-community", attr(0xc0, 25, b"\x00\x02" + v6("2001:db8::1") + b"\x00\x01"), "announce",
        "accepted", "RFC 5701")
    one("ipv6-ext-community-len-19", attr(0xc0, 25, bytes(19)), "withdraw", "treat-as-withdraw",
        "RFC 7606 7.15")
    one("ipv6-ext-community-len-0", attr(0xc0, 25, b""), "withdraw", "treat-as-withdraw", "RFC 7606 7.15")
    one("large-community", attr(0xc0, 32, struct.pack("!III", 65000, 1, 2)), "announce", "accepted", "RFC 8092")
    one("large-community-len-11", attr(0xc0, 32, bytes(11)), "withdraw", "treat-as-withdraw", "RFC 8092 6")
    one("large-community-len-0", attr(0xc0, 32, b""), "withdraw", "treat-as-withdraw", "RFC 8092 6")
    one("large-community-len-16", attr(0xc0, 32, bytes(16)), "withdraw", "treat-as-withdraw", "RFC 8092 6")
    one("large-community-flags-well-known", attr(0x40, 32, struct.pack("!III", 65000, 1, 2)), "withdraw",
        "treat-as-withdraw", "RFC 7606 3.c")
    # AS4_PATH and AS4_AGGREGATOR from a 4-octet speaker (RFC 6793 4.1): discarded
    one("as4-path-from-new-speaker", attr(0xc0, 17, b"\x02\x01\x00\x00\xfd\xf2"), "discard:as4-path",
        "attribute-discard", "RFC 6793 4.1 (NEW to NEW: not sent, discarded)")
    one("as4-aggregator-from-new-speaker", attr(0xc0, 18, b"\x00\x00\xfd\xf2\xc0\x00\x02\x01"),
        "discard:as4-aggregator", "attribute-discard", "RFC 6793 4.1")
    # AIGP (RFC 7311 3.1: a malformed AIGP attribute is discarded)
    one("aigp", attr(0x80, 26, b"\x01\x00\x0b" + struct.pack("!Q", 100)), "announce", "accepted", "RFC 7311 3")
    one("aigp-tlv-overrun", attr(0x80, 26, b"\x01\x00\x0c" + struct.pack("!Q", 100)), "discard:aigp",
        "attribute-discard", "RFC 7311 3.1")
    one("aigp-no-tlv", attr(0x80, 26, b"\x02\x00\x03"), "discard:aigp", "attribute-discard", "RFC 7311 3.1")
    # 2-octet AS session (no 4-octet AS capability): RFC 6793 4.2, 6
    s2 = "ibgp2"
    rest2 = attr(0x40, 3, v4(NH))
    replace("as2-path", ORIGIN + as_path([65010], asn4=False) + rest2, "announce", "accepted", "RFC 4271 4.3",
            s2)
    replace("as2-path-with-4-octet-asns", ORIGIN + attr(0x40, 2, b"\x02\x01\x00\x00\xfd\xf2") + rest2,
            "withdraw", "treat-as-withdraw", "RFC 7606 7.2 (segment overrun for 2-octet ASNs)", s2)
    replace("as2-as4-path", ORIGIN + as_path([23456], asn4=False) + rest2 +
            attr(0xc0, 17, b"\x02\x01\x00\x03\x0d\x40"), "announce", "accepted", "RFC 6793 4.2.3", s2)
    replace("as2-as4-path-malformed", ORIGIN + as_path([23456], asn4=False) + rest2 +
            attr(0xc0, 17, b"\x02\x02\x00\x03\x0d\x40"), "discard:as4-path", "attribute-discard", "RFC 6793 6",
            s2)
    replace("as2-as4-path-confed", ORIGIN + as_path([23456], asn4=False) + rest2 +
            attr(0xc0, 17, b"\x03\x01\x00\x03\x0d\x40"), "discard:as4-path", "attribute-discard",
            "RFC 6793 6 (confederation segments in AS4_PATH)", s2)
    replace("as2-aggregator", ORIGIN + as_path([65010], asn4=False) + rest2 +
            attr(0xc0, 7, b"\xfd\xf2\xc0\x00\x02\x01"), "announce", "accepted", "RFC 4271 5.1.7", s2)
    replace("as2-aggregator-len-8", ORIGIN + as_path([65010], asn4=False) + rest2 +
            attr(0xc0, 7, b"\x00\x00\xfd\xf2\xc0\x00\x02\x01"), "discard:aggregator", "attribute-discard",
            "RFC 7606 7.7", s2)
    replace("as2-as4-aggregator-len-7", ORIGIN + as_path([65010], asn4=False) + rest2 +
            attr(0xc0, 7, b"\x5b\xa0\xc0\x00\x02\x01") + attr(0xc0, 18, b"\x00\x03\x0d\xc0\x00\x02\x01"),
            "discard:as4-aggregator", "attribute-discard", "RFC 6793 6", s2)
    # External peer (RFC 7606 7.5, 7.9, 7.10; RFC 4271 6.3 leftmost AS as RFC 7606 7.2 revises it)
    se = "ebgp4"
    one("ebgp-ok", b"", "announce", "accepted", "RFC 4271 4.3", se)
    one("ebgp-originator-id", attr(0x80, 9, v4("10.9.9.9")), "discard:originator-id", "attribute-discard",
        "RFC 7606 7.9", se)
    one("ebgp-cluster-list", attr(0x80, 10, v4("10.9.9.9")), "discard:cluster-list", "attribute-discard",
        "RFC 7606 7.10", se)
    one("ebgp-cluster-list-len-3", attr(0x80, 10, b"\x01\x02\x03"), "discard:cluster-list", "attribute-discard",
        "RFC 7606 7.10 (from an external peer: discarded whatever its value)", se)
    # LOCAL_PREF from an external peer is discarded (RFC 7606 7.5); the event
    # still prints it, as ExaBGP 4.2 does (docs/api.md), so only the routes are seen.
    one("ebgp-local-pref", attr(0x40, 5, b"\x00\x00\x00\x64"), "announce", "attribute-discard",
        "RFC 7606 7.5", se)
    one("ebgp-next-hop-peer", b"", "announce", "accepted", "RFC 4271 6.3 (the peer's own address)", se,
        attrs=ORIGIN + as_path([EBGP_AS]) + attr(0x40, 3, v4(EBGP_ADDR)))
    replace("ebgp-first-as-wrong", ORIGIN + as_path([65002, EBGP_AS]) + nh, "withdraw", "treat-as-withdraw",
            "RFC 4271 6.3 leftmost AS, RFC 7606 7.2", se)
    replace("ebgp-first-as-set", ORIGIN + as_path([EBGP_AS], seg=1) + nh, "withdraw", "treat-as-withdraw",
            "RFC 4271 6.3, RFC 7606 7.2", se)
    replace("ebgp-empty-path", ORIGIN + attr(0x40, 2, b"") + nh, "withdraw", "treat-as-withdraw",
            "RFC 4271 5.1.2, 6.3, RFC 7606 7.2", se)
    replace("ebgp-confed-segment", ORIGIN + attr(0x40, 2, b"\x03\x01\x00\x00\xfd\xe9") + nh, "withdraw",
            "treat-as-withdraw", "RFC 5065 5, RFC 7606 7.2", se)


# ---- established: every family's MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760, RFC 7606 5.3, 7.11) ----

RD = b"\x00\x00\xfd\xe8\x00\x00\x00\x01"  # type 0, 65000:1


def label(v):
    return struct.pack("!I", (v << 4) | 1)[1:]


def families():
    """(name, afi, safi, next hop, nlri(i), malformed nlri, bad next hop)"""
    def labeled(pf):
        return lambda i: bytes([24 + pf(i)[0]]) + label(100) + pf(i)[1:]

    def vpn(pf):
        return lambda i: bytes([88 + pf(i)[0]]) + label(100) + RD + pf(i)[1:]

    def flow4(i):
        return bytes([5, 1]) + pfx4(i)

    def flow6(i):
        p = pfx6(i)
        comp = bytes([1, p[0], 0]) + p[1:]
        return bytes([len(comp)]) + comp

    def flowvpn(f):
        return lambda i: bytes([f(i)[0] + 8]) + RD + f(i)[1:]

    def rtc(i):
        return bytes([96]) + struct.pack("!I", 65000) + b"\x00\x02\xfd\xe8" + struct.pack("!I", i)

    def vpls(i):
        return struct.pack("!H", 17) + RD + struct.pack("!HHH", i & 0xFFFF, 0, 8) + label(1000)

    def evpn(i):
        body = RD + struct.pack("!I", i) + bytes([32]) + v4("192.0.2.9")
        return bytes([3, len(body)]) + body

    nh4, nh6 = v4(NH), v6("2001:db8::1")
    return [
        ("ipv6-unicast", 2, 1, nh6, pfx6, b"\x81" + bytes(16), v6("2001:db8::1")[:5]),
        ("ipv4-multicast", 1, 2, nh4, pfx4, b"\x21\x0a\x00\x00\x00\x00", b"\x0a\x00\x00"),
        ("ipv6-multicast", 2, 2, nh6, pfx6, b"\x30\x20\x01", b"\x20\x01\x0d"),
        ("ipv4-nlri-mpls", 1, 4, nh4, labeled(pfx4), b"\x30" + label(100) + b"\x0a", b"\x0a\x00\x00"),
        ("ipv6-nlri-mpls", 2, 4, nh6, labeled(pfx6), b"\x48" + label(100) + b"\x20\x01", b"\x20\x01"),
        ("ipv4-mpls-vpn", 1, 128, bytes(8) + nh4, vpn(pfx4), b"\x70" + label(100) + RD, nh4 + b"\x00"),
        ("ipv6-mpls-vpn", 2, 128, bytes(8) + nh6, vpn(pfx6), b"\x88" + label(100) + RD[:4], nh6),
        ("ipv4-flow", 1, 133, b"", flow4, b"\x09\x01\x18\x0a", nh4 + nh4),
        ("ipv6-flow", 2, 133, b"", flow6, b"\x0c\x01\x30\x00\x20", nh6 + nh4),
        ("ipv4-flow-vpn", 1, 134, b"", flowvpn(flow4), b"\x10" + RD[:6], nh4 + nh4),
        ("ipv6-flow-vpn", 2, 134, b"", flowvpn(flow6), b"\x16" + RD, nh6 + nh4),
        ("ipv4-rtc", 1, 132, nh4, rtc, b"\x60\x00\x00", b"\x0a\x00"),
        ("l2vpn-vpls", 25, 65, nh4, vpls, struct.pack("!H", 17) + RD, b"\x0a"),
        ("l2vpn-evpn", 25, 70, nh4, evpn, b"\x03\x20" + RD, b"\x0a"),
    ]


FAMILY_BLOCK = ("ipv4 unicast; ipv4 multicast; ipv4 nlri-mpls; ipv4 mpls-vpn; ipv4 rtc; ipv4 flow; "
                "ipv4 flow-vpn; ipv6 unicast; ipv6 multicast; ipv6 nlri-mpls; ipv6 mpls-vpn; ipv6 flow; "
                "ipv6 flow-vpn; l2vpn vpls; l2vpn evpn;")


def mp():
    E = "established"
    s = "ibgp4"
    for name, afi, safi, nh, nlri, bad, badnh in families():
        pre = base_mp(s)
        case("mp-%s-reach" % name, s, E, update(attrs=pre + mp_reach(afi, safi, nh, nlri(nid()))), "announce",
             "accepted", "RFC 4760 3")
        case("mp-%s-unreach" % name, s, E, update(attrs=mp_unreach(afi, safi, nlri(nid()))), "withdraw",
             "withdrawal", "RFC 4760 4")
        case("mp-%s-eor" % name, s, E, update(attrs=mp_unreach(afi, safi, b"")), "eor", "accepted", "RFC 4724 2")
        case("mp-%s-reach-flags-well-known" % name, s, E,
             update(attrs=pre + mp_reach(afi, safi, nh, nlri(nid()), flags=0x40)), "withdraw",
             "treat-as-withdraw", "RFC 7606 3.c (the NLRI parse: least drastic safe outcome)")
        case("mp-%s-unreach-flags-transitive" % name, s, E,
             update(attrs=mp_unreach(afi, safi, nlri(nid()), flags=0xc0)), "withdraw", "treat-as-withdraw",
             "RFC 7606 3.c")
        case("mp-%s-reach-nlri-malformed" % name, s, E, update(attrs=pre + mp_reach(afi, safi, nh, bad)),
             "notify:3/9", "session-reset",
             "RFC 4760 7, RFC 7606 5.3 (NLRI cannot be parsed: session reset, no AFI/SAFI disable)")
        case("mp-%s-unreach-nlri-malformed" % name, s, E, update(attrs=mp_unreach(afi, safi, bad)), "notify:3/9",
             "session-reset", "RFC 4760 7, RFC 7606 5.3")
        case("mp-%s-reach-next-hop-length" % name, s, E,
             update(attrs=pre + mp_reach(afi, safi, badnh, nlri(nid()))), "notify:3/9", "session-reset",
             "RFC 7606 7.11 (next hop length inconsistent: NLRI cannot be located)")
    pre = base_mp(s)
    nh6 = v6("2001:db8::1")
    case("mp-reach-too-short", s, E, update(attrs=pre + attr(0x80, 14, b"\x00\x02\x01")), "notify:3/9",
         "session-reset", "RFC 4760 7, RFC 7606 7.11")
    case("mp-unreach-too-short", s, E, update(attrs=attr(0x80, 15, b"\x00\x02")), "notify:3/9", "session-reset",
         "RFC 4760 7")
    case("mp-reach-family-not-negotiated", s, E, update(attrs=pre + mp_reach(16388, 71, b"", b"")),
         "notify:3/9", "session-reset", "RFC 4760 7 (AFI/SAFI not negotiated)")
    case("mp-reach-twice", s, E, update(attrs=pre + mp_reach(2, 1, nh6, pfx6(nid())) +
                                        mp_reach(2, 1, nh6, pfx6(nid()))),
         "notify:3/1", "session-reset", "RFC 7606 3.g (MP_REACH_NLRI twice: Malformed Attribute List)")
    case("mp-unreach-twice", s, E, update(attrs=mp_unreach(2, 1, pfx6(nid())) + mp_unreach(2, 1, pfx6(nid()))),
         "notify:3/1", "session-reset", "RFC 7606 3.g")
    case("mp-reach-missing-origin", s, E, update(attrs=as_path([65010]) + mp_reach(2, 1, nh6, pfx6(nid()))),
         "withdraw", "treat-as-withdraw", "RFC 7606 3.d")
    case("mp-reach-missing-as-path", s, E, update(attrs=ORIGIN + mp_reach(2, 1, nh6, pfx6(nid()))),
         "withdraw", "treat-as-withdraw", "RFC 7606 3.d")
    case("mp-reach-no-next-hop-attribute-needed", s, E, update(attrs=pre + mp_reach(2, 1, nh6, pfx6(nid()))),
         "announce", "accepted", "RFC 4760 3 (NEXT_HOP not needed with MP_REACH_NLRI alone)")
    case("mp-reach-ipv6-link-local", s, E,
         update(attrs=pre + mp_reach(2, 1, nh6 + v6("fe80::1"), pfx6(nid()))), "announce", "accepted",
         "RFC 2545 3")
    case("mp-reach-with-bad-next-hop-attribute", s, E,
         update(attrs=pre + attr(0x40, 3, v4("0.0.0.0")) + mp_reach(2, 1, nh6, pfx6(nid()))), "announce",
         "accepted", "RFC 4760 3 (a NEXT_HOP with MP_REACH_NLRI alone is ignored)")
    case("mp-reach-and-ipv4-nlri", s, E,
         update(attrs=base(s) + mp_reach(2, 1, nh6, pfx6(nid())), nlri=pfx4(nid())), "announce", "accepted",
         "RFC 4760 3")
    case("mp-reach-bad-attribute-withdraws-both", s, E,
         update(attrs=base(s) + attr(0x80, 4, b"\x00") + mp_reach(2, 1, nh6, pfx6(nid())), nlri=pfx4(nid())),
         "withdraw", "treat-as-withdraw", "RFC 7606 2 (treat-as-withdraw covers MP_REACH_NLRI too)")


# ---- ADD-PATH (RFC 7911): path identifiers before each prefix ----

def addpath():
    E = "established"
    s = "ibgp4ap"
    pid = struct.pack("!I", 1)
    nh6 = v6("2001:db8::1")
    case("ap-ipv4-ok", s, E, update(attrs=base(s), nlri=pid + pfx4(nid())), "announce", "accepted", "RFC 7911 3")
    i = nid()
    case("ap-ipv4-two-paths", s, E, update(attrs=base(s), nlri=pid + pfx4(i) + struct.pack("!I", 2) + pfx4(i)),
         "announce", "accepted", "RFC 7911 3")
    case("ap-ipv4-withdraw", s, E, update(withdrawn=pid + pfx4(nid())), "withdraw", "withdrawal", "RFC 7911 3")
    case("ap-ipv4-truncated-path-id", s, E, update(attrs=base(s), nlri=b"\x00\x00\x01"), "notify:3/10",
         "session-reset", "RFC 7911 3, RFC 4271 6.3 (Invalid Network Field)")
    case("ap-ipv4-no-path-id", s, E, update(attrs=base(s), nlri=pfx4(nid())), "notify:3/10", "session-reset",
         "RFC 7911 3 (4 octets read as the identifier, no prefix after it), RFC 4271 6.3")
    case("ap-ipv4-withdrawn-truncated", s, E, update(withdrawn=pid + b"\x18\x0a"), "notify:3/10",
         "session-reset", "RFC 7911 3, RFC 4271 6.3")
    case("ap-ipv6-ok", s, E, update(attrs=base_mp(s) + mp_reach(2, 1, nh6, pid + pfx6(nid()))), "announce",
         "accepted", "RFC 7911 3, RFC 4760 3")
    case("ap-ipv6-unreach", s, E, update(attrs=mp_unreach(2, 1, pid + pfx6(nid()))), "withdraw", "withdrawal",
         "RFC 7911 3, RFC 4760 4")
    case("ap-ipv6-truncated-path-id", s, E, update(attrs=base_mp(s) + mp_reach(2, 1, nh6, b"\x00\x01")),
         "notify:3/9", "session-reset", "RFC 7911 3, RFC 4760 7, RFC 7606 5.3")


def main():
    preopen()
    opens()
    headers()
    framing()
    attributes()
    mp()
    addpath()
    out = sys.stdout
    out.write("# The malformed-message corpus: written by tests/corpus/gen_malformed.py (see its\n"
              "# docstring for the format); run by tests/functional/test_malformed_corpus.py.\n"
              "# family block of the neighbors: %s\n" % FAMILY_BLOCK)
    names = set()
    for c in CASES:
        assert c[0] not in names, c[0]
        names.add(c[0])
        out.write(" | ".join(c) + "\n")
    sys.stderr.write("%d cases\n" % len(CASES))


if __name__ == "__main__":
    main()
