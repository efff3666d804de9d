"""Minimal BGP-4 wire helpers for the fastbgp conformance tests (stdlib only).

Provides:
  * MessageReader: bounded framing reader (validates marker and length).
  * build_open / build_keepalive / build_notification / echo_open.
  * parse_open / parse_update: small decoders, and describe() which renders
    any message as one human-readable line for logs and failure reports.

The decoder is deliberately small: it understands what the conformance
vectors need to explain a mismatch (IPv4/IPv6 unicast, the common path
attributes) and prints everything else as hex rather than guessing.
"""

import ipaddress
import socket
import struct
import time

MARKER = b"\xff" * 16
HEADER_LEN = 19
MAX_MESSAGE_LEN = 65535  # RFC 8654 extended message upper bound

OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5
TYPE_NAMES = {OPEN: "OPEN", UPDATE: "UPDATE", NOTIFICATION: "NOTIFICATION",
              KEEPALIVE: "KEEPALIVE", ROUTE_REFRESH: "ROUTE-REFRESH"}

CAP_NAMES = {
    1: "multiprotocol", 2: "route-refresh", 3: "outbound-route-filtering",
    5: "extended-next-hop", 6: "extended-message", 7: "bgpsec",
    8: "multiple-labels", 9: "role", 64: "graceful-restart", 65: "asn4",
    67: "dynamic", 68: "multisession", 69: "add-path",
    70: "enhanced-route-refresh", 71: "long-lived-graceful-restart",
    73: "hostname", 128: "route-refresh-cisco", 130: "orf-cisco",
    131: "multisession-cisco",
}

AFI_NAMES = {1: "ipv4", 2: "ipv6", 25: "l2vpn", 16388: "bgp-ls"}
SAFI_NAMES = {1: "unicast", 2: "multicast", 4: "nlri-mpls", 5: "mcast-vpn",
              65: "vpls", 70: "evpn", 71: "bgp-ls", 72: "bgp-ls-vpn",
              73: "sr-te", 128: "mpls-vpn", 132: "rtc", 133: "flow",
              134: "flow-vpn"}

ATTR_NAMES = {
    1: "origin", 2: "as-path", 3: "next-hop", 4: "med", 5: "local-preference",
    6: "atomic-aggregate", 7: "aggregator", 8: "community",
    9: "originator-id", 10: "cluster-list", 14: "mp-reach", 15: "mp-unreach",
    16: "extended-community", 17: "as4-path", 18: "as4-aggregator",
    22: "pmsi-tunnel", 26: "aigp", 29: "bgp-ls", 32: "large-community",
    40: "prefix-sid",
}

WELL_KNOWN_COMMUNITIES = {0xFFFFFF01: "no-export", 0xFFFFFF02: "no-advertise",
                          0xFFFFFF03: "no-export-subconfed",
                          0xFFFF0000: "graceful-shutdown",
                          0xFFFFFF04: "nopeer", 0xFFFF029A: "blackhole"}


class FramingError(Exception):
    """The byte stream is not valid BGP framing (bad marker or length)."""


def family_name(afi, safi):
    return "%s %s" % (AFI_NAMES.get(afi, "afi-%d" % afi),
                      SAFI_NAMES.get(safi, "safi-%d" % safi))


# ---------------------------------------------------------------- framing

class MessageReader:
    """Reads whole BGP messages from a stream socket.

    Bounded: it never buffers more than one maximal message, and every call
    has a deadline, so a misbehaving daemon cannot hang or bloat the runner.
    """

    def __init__(self, sock, max_len=MAX_MESSAGE_LEN):
        self.sock = sock
        self.max_len = max_len
        self.buf = bytearray()
        self.eof = False

    def feed(self):
        """Read what is available right now (call when select says readable).

        Returns False at end of stream."""
        want = max(4096, self._missing())
        try:
            data = self.sock.recv(min(want, self.max_len))
        except (BlockingIOError, InterruptedError):
            return True
        except socket.timeout:
            raise  # read()'s deadline, not the end of the stream
        except (ConnectionResetError, OSError):
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def _missing(self):
        if len(self.buf) < HEADER_LEN:
            return HEADER_LEN - len(self.buf)
        length = struct.unpack("!H", self.buf[16:18])[0]
        return max(0, length - len(self.buf))

    def pop(self):
        """Return one complete raw message from the buffer, or None.

        Raises FramingError on a bad marker/length: after that the stream
        cannot be resynchronised, so the caller must drop the connection."""
        if len(self.buf) < HEADER_LEN:
            return None
        if bytes(self.buf[:16]) != MARKER:
            raise FramingError("bad marker %s" % bytes(self.buf[:16]).hex())
        length = struct.unpack("!H", self.buf[16:18])[0]
        if length < HEADER_LEN or length > self.max_len:
            raise FramingError("bad length %d" % length)
        if len(self.buf) < length:
            return None
        raw = bytes(self.buf[:length])
        del self.buf[:length]
        return raw

    def read(self, timeout):
        """Blocking helper: next raw message, or None on EOF/timeout."""
        deadline = time.monotonic() + timeout
        while True:
            raw = self.pop()
            if raw is not None:
                return raw
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                return None
            self.sock.settimeout(left)
            try:
                if not self.feed():
                    return None
            except socket.timeout:
                return None


def msg_type(raw):
    return raw[18]


def frame(mtype, body):
    return MARKER + struct.pack("!HB", HEADER_LEN + len(body), mtype) + body


# --------------------------------------------------------------- builders

def build_keepalive():
    return frame(KEEPALIVE, b"")


def build_notification(code, subcode, data=b""):
    return frame(NOTIFICATION, bytes([code, subcode]) + data)


def capability(code, value=b""):
    return bytes([code, len(value)]) + value


def build_open(asn, hold, router_id, capabilities, version=4):
    """capabilities: list of already encoded capabilities (see capability()).

    All capabilities go in one optional parameter (type 2), as most speakers
    do. A 4-byte AS is sent as AS_TRANS (23456) in the fixed field."""
    caps = b"".join(capabilities)
    params = bytes([2, len(caps)]) + caps if caps else b""
    my_as = asn if asn <= 0xFFFF else 23456
    body = struct.pack("!BHH4sB", version, my_as, hold,
                       ipaddress.IPv4Address(router_id).packed, len(params))
    return frame(OPEN, body + params)


def standard_capabilities(asn):
    """MP ipv4/ipv6 unicast, route-refresh, 4-byte AS, extended message."""
    return [capability(1, struct.pack("!HBB", 1, 0, 1)),
            capability(1, struct.pack("!HBB", 2, 0, 1)),
            capability(2),
            capability(65, struct.pack("!I", asn)),
            capability(6)]


def echo_open(raw_open, extra_capability=None):
    """The daemon's own OPEN with router-id last byte + 1 (mod 256).

    The rest is kept byte for byte so both sides announce the very same
    capabilities and every optional feature is negotiated.
    extra_capability (encoded) is appended as an additional optional
    parameter, to check that the daemon ignores unknown capabilities."""
    msg = bytearray(raw_open)
    msg[27] = (msg[27] + 1) & 0xFF  # 19 header + ver 1 + AS 2 + hold 2 + id 4
    if extra_capability is not None:
        param = bytes([2, len(extra_capability)]) + extra_capability
        if msg[28] + len(param) > 255:
            raise ValueError("no room for an extra optional parameter")
        msg[28] += len(param)
        msg += param
        msg[16:18] = struct.pack("!H", len(msg))
    return bytes(msg)


# ---------------------------------------------------------------- decoders

def parse_open(raw):
    """Decode an OPEN into a dict. capabilities = list of (code, bytes)."""
    body = raw[HEADER_LEN:]
    if len(body) < 10:
        raise ValueError("OPEN too short")
    version, asn, hold, rid, plen = struct.unpack("!BHH4sB", body[:10])
    params = body[10:10 + plen]
    caps, others = [], []
    i = 0
    while i + 2 <= len(params):
        ptype, pl = params[i], params[i + 1]
        value = params[i + 2:i + 2 + pl]
        i += 2 + pl
        if ptype != 2:
            others.append((ptype, value))
            continue
        j = 0
        while j + 2 <= len(value):
            code, cl = value[j], value[j + 1]
            caps.append((code, bytes(value[j + 2:j + 2 + cl])))
            j += 2 + cl
    result = {"version": version, "asn": asn, "hold": hold,
              "router_id": str(ipaddress.IPv4Address(rid)),
              "capabilities": caps, "other_params": others}
    for code, value in caps:
        if code == 65 and len(value) == 4:
            result["asn"] = struct.unpack("!I", value)[0]
    return result


def session_from_opens(sent, received):
    """What both sides negotiated, from the two parsed OPENs.

    Returns dict(asn4=bool, addpath=set of (afi, safi) for which the
    *received* side's UPDATEs carry path identifiers)."""
    def caps(o, code):
        return [v for c, v in o["capabilities"] if c == code]
    asn4 = bool(caps(sent, 65)) and bool(caps(received, 65))

    def addpath_modes(o):
        modes = {}
        for v in caps(o, 69):
            for k in range(0, len(v) - 3, 4):
                afi, safi, mode = struct.unpack("!HBB", v[k:k + 4])
                modes[(afi, safi)] = mode
        return modes
    ours, theirs = addpath_modes(sent), addpath_modes(received)
    # the peer sends path-ids when it may send (2) and we may receive (1)
    addpath = {f for f, m in theirs.items() if m & 2 and ours.get(f, 0) & 1}
    return {"asn4": asn4, "addpath": addpath}


def describe_capability(code, value):
    name = CAP_NAMES.get(code, "unknown-%d" % code)
    if code == 1 and len(value) == 4:
        afi, _, safi = struct.unpack("!HBB", value)
        return "%s(%s)" % (name, family_name(afi, safi))
    if code == 65 and len(value) == 4:
        return "%s(%d)" % (name, struct.unpack("!I", value)[0])
    if code == 69:
        modes = {1: "receive", 2: "send", 3: "send/receive"}
        parts = []
        for k in range(0, len(value) - 3, 4):
            afi, safi, mode = struct.unpack("!HBB", value[k:k + 4])
            parts.append("%s %s" % (family_name(afi, safi),
                                    modes.get(mode, mode)))
        return "%s(%s)" % (name, ", ".join(parts))
    if code == 64 and len(value) >= 2:
        flags_time = struct.unpack("!H", value[:2])[0]
        return "%s(time %d, %d families)" % (name, flags_time & 0xFFF,
                                             (len(value) - 2) // 4)
    return "%s(%s)" % (name, value.hex()) if value else name


def describe_open(raw):
    o = parse_open(raw)
    caps = " ".join(describe_capability(c, v) for c, v in o["capabilities"])
    return "OPEN version %d as %d hold %d router-id %s capabilities [%s]" % (
        o["version"], o["asn"], o["hold"], o["router_id"], caps)


def _prefixes(data, afi, addpath):
    """Decode a run of NLRI prefixes (optionally with add-path ids)."""
    size = 4 if afi == 1 else 16
    out, i = [], 0
    while i < len(data):
        path_id = None
        if addpath:
            if i + 4 > len(data):
                raise ValueError("truncated path id")
            path_id = struct.unpack("!I", data[i:i + 4])[0]
            i += 4
        if i >= len(data):
            raise ValueError("missing prefix length")
        plen = data[i]
        nbytes = (plen + 7) // 8
        if plen > size * 8 or i + 1 + nbytes > len(data):
            raise ValueError("bad prefix length %d" % plen)
        addr = bytes(data[i + 1:i + 1 + nbytes]) + b"\0" * (size - nbytes)
        i += 1 + nbytes
        net = ipaddress.ip_network((addr, plen), strict=False)
        text = str(net)
        if path_id is not None:
            text += " path-id %s" % ipaddress.IPv4Address(path_id)
        out.append((str(net), text))
    return out


def _as_path(value, as_size):
    segs, i = [], 0
    fmt = "!I" if as_size == 4 else "!H"
    while i + 2 <= len(value):
        stype, count = value[i], value[i + 1]
        i += 2
        asns = [struct.unpack(fmt, value[i + k * as_size:i + (k + 1) * as_size])[0]
                for k in range(count)]
        i += count * as_size
        inner = " ".join(str(a) for a in asns)
        segs.append("{%s}" % inner if stype == 1 else "[%s]" % inner)
    if i != len(value):
        return "malformed(%s)" % value.hex()
    return " ".join(segs) if segs else "[]"


def _ext_community(v):
    kind, sub = v[0], v[1]
    names = {2: "target", 3: "origin"}
    if kind in (0x00, 0x40) and sub in names:
        return "%s:%d:%d" % (names[sub], struct.unpack("!H", v[2:4])[0],
                             struct.unpack("!I", v[4:8])[0])
    if kind in (0x01, 0x41) and sub in names:
        return "%s:%s:%d" % (names[sub], ipaddress.IPv4Address(v[2:6]),
                             struct.unpack("!H", v[6:8])[0])
    if kind in (0x02, 0x42) and sub in names:
        return "%s:%dL:%d" % (names[sub], struct.unpack("!I", v[2:6])[0],
                              struct.unpack("!H", v[6:8])[0])
    return "0x" + v.hex()


def _attribute_value(code, value, as_size):
    """Human form of one path attribute value; hex when not understood."""
    try:
        if code == 1 and len(value) == 1:
            return {0: "igp", 1: "egp", 2: "incomplete"}.get(value[0], value[0])
        if code == 2:
            return _as_path(value, as_size)
        if code == 17:
            return _as_path(value, 4)
        if code in (3, 9) and len(value) == 4:
            return str(ipaddress.IPv4Address(value))
        if code in (4, 5) and len(value) == 4:
            return str(struct.unpack("!I", value)[0])
        if code == 6 and not value:
            return ""
        if code in (7, 18) and len(value) in (6, 8):
            asn = value[:len(value) - 4]
            asn = struct.unpack("!I" if len(asn) == 4 else "!H", asn)[0]
            return "%d:%s" % (asn, ipaddress.IPv4Address(value[-4:]))
        if code == 8 and len(value) % 4 == 0:
            out = []
            for k in range(0, len(value), 4):
                c = struct.unpack("!I", value[k:k + 4])[0]
                out.append(WELL_KNOWN_COMMUNITIES.get(
                    c, "%d:%d" % (c >> 16, c & 0xFFFF)))
            return "[%s]" % " ".join(out)
        if code == 10 and len(value) % 4 == 0:
            return "[%s]" % " ".join(str(ipaddress.IPv4Address(value[k:k + 4]))
                                     for k in range(0, len(value), 4))
        if code == 16 and len(value) % 8 == 0:
            return "[%s]" % " ".join(_ext_community(value[k:k + 8])
                                     for k in range(0, len(value), 8))
        if code == 32 and len(value) % 12 == 0:
            return "[%s]" % " ".join(
                "%d:%d:%d" % struct.unpack("!III", value[k:k + 12])
                for k in range(0, len(value), 12))
    except (ValueError, struct.error):
        pass
    return "0x" + value.hex()


def _next_hop(data):
    if not data:
        return "none"  # e.g. flowspec
    if len(data) in (4, 16):
        return str(ipaddress.ip_address(bytes(data)))
    if len(data) == 32:  # global + link-local
        return "%s %s" % (ipaddress.ip_address(bytes(data[:16])),
                          ipaddress.ip_address(bytes(data[16:])))
    return "0x" + bytes(data).hex()


def parse_update(raw, asn4=True, addpath=()):
    """Decode an UPDATE.

    Returns a dict:
      eor:       (afi, safi) when the message is an End-of-RIB marker, else None
      withdraw / announce: {(afi, safi): [(prefix, text), ...]} for IPv4/IPv6
                 unicast (other families are kept as hex in 'opaque')
      next_hop:  {(afi, safi): text}
      attributes: [(code, flags, name, value text)] except MP_REACH/UNREACH
    Raises ValueError when the message is malformed."""
    body = raw[HEADER_LEN:]
    if len(body) < 4:
        raise ValueError("UPDATE too short")
    wlen = struct.unpack("!H", body[:2])[0]
    if 2 + wlen + 2 > len(body):
        raise ValueError("withdrawn length overruns message")
    withdrawn = body[2:2 + wlen]
    alen = struct.unpack("!H", body[2 + wlen:4 + wlen])[0]
    attrs = body[4 + wlen:4 + wlen + alen]
    if 4 + wlen + alen > len(body):
        raise ValueError("attribute length overruns message")
    nlri = body[4 + wlen + alen:]
    res = {"eor": None, "withdraw": {}, "announce": {}, "next_hop": {},
           "attributes": [], "opaque": [], "classic_nlri": bool(nlri)}
    if not withdrawn and not attrs and not nlri:
        res["eor"] = (1, 1)
        return res
    v4 = (1, 1)
    if withdrawn:
        res["withdraw"][v4] = _prefixes(withdrawn, 1, v4 in addpath)
    if nlri:
        res["announce"][v4] = _prefixes(nlri, 1, v4 in addpath)
    i = 0
    while i < len(attrs):
        if i + 3 > len(attrs):
            raise ValueError("truncated attribute header")
        flags, code = attrs[i], attrs[i + 1]
        if flags & 0x10:
            if i + 4 > len(attrs):
                raise ValueError("truncated attribute header")
            length = struct.unpack("!H", attrs[i + 2:i + 4])[0]
            i += 4
        else:
            length = attrs[i + 2]
            i += 3
        value = bytes(attrs[i:i + length])
        if len(value) != length:
            raise ValueError("attribute %d overruns" % code)
        i += length
        if code in (14, 15) and len(value) >= 3:
            _mp(res, code, value, addpath)
            continue
        if code == 3 and nlri:
            # NEXT_HOP describes the IPv4 NLRI field only; ExaBGP also sends
            # it beside MP_REACH, where it is just another attribute.
            res["next_hop"][v4] = _attribute_value(3, value, 4)
        res["attributes"].append((code, flags, ATTR_NAMES.get(code, "attribute-%d" % code),
                                  _attribute_value(code, value, 4 if asn4 else 2)))
    if (not withdrawn and not nlri and not res["attributes"]
            and not res["announce"] and len(res["withdraw"]) == 1
            and not res["opaque"]):
        fam, items = next(iter(res["withdraw"].items()))
        if not items:  # MP_UNREACH with no prefixes: End-of-RIB
            res["eor"] = fam
            res["withdraw"] = {}
    return res


def _mp(res, code, value, addpath):
    afi, safi = struct.unpack("!HB", value[:3])
    fam = (afi, safi)
    unicast = safi == 1 and afi in (1, 2)
    if code == 14:
        if len(value) < 5:
            raise ValueError("MP_REACH too short")
        nhlen = value[3]
        nh = value[4:4 + nhlen]
        nlri = value[5 + nhlen:]
        res["next_hop"][fam] = _next_hop(nh)
        if unicast:
            res["announce"][fam] = _prefixes(nlri, afi, fam in addpath)
        else:
            res["opaque"].append("announce %s next-hop %s nlri 0x%s" % (
                family_name(afi, safi), _next_hop(nh), nlri.hex()))
    else:
        data = value[3:]
        if unicast or not data:
            res["withdraw"][fam] = _prefixes(data, afi, fam in addpath) if unicast else []
        else:
            res["opaque"].append("withdraw %s nlri 0x%s" % (
                family_name(afi, safi), data.hex()))


def describe_update(raw, asn4=True, addpath=()):
    """One line, e.g. 'UPDATE announce 10.0.0.0/24 next-hop 1.2.3.4 origin igp'."""
    try:
        u = parse_update(raw, asn4, addpath)
    except ValueError as exc:
        return "UPDATE malformed (%s) 0x%s" % (exc, raw[HEADER_LEN:].hex())
    if u["eor"]:
        return "UPDATE end-of-rib %s" % family_name(*u["eor"])
    parts = ["UPDATE"]
    for fam, items in u["withdraw"].items():
        label = "" if fam == (1, 1) else family_name(*fam) + " "
        parts.append("withdraw %s%s" % (label, " ".join(t for _, t in items)))
    for fam, items in u["announce"].items():
        label = "" if fam == (1, 1) else family_name(*fam) + " "
        parts.append("announce %s%s" % (label, " ".join(t for _, t in items)))
        if fam in u["next_hop"]:
            parts.append("next-hop %s" % u["next_hop"][fam])
    parts.extend(u["opaque"])
    for code, flags, name, value in u["attributes"]:
        if code == 3:
            if u["classic_nlri"]:
                continue  # already shown after the IPv4 prefixes
            name = "next-hop-attribute"
        parts.append(("%s %s" % (name, value)).rstrip())
    return " ".join(parts)


def describe_notification(raw):
    body = raw[HEADER_LEN:]
    if len(body) < 2:
        return "NOTIFICATION malformed 0x%s" % body.hex()
    text = "NOTIFICATION code %d subcode %d" % (body[0], body[1])
    if len(body) > 2:
        data = body[2:]
        printable = all(32 <= b < 127 for b in data)
        text += " data %s" % (repr(data.decode()) if printable else "0x" + data.hex())
    return text


def describe(raw, asn4=True, addpath=()):
    """Any BGP message as one human-readable line (never raises)."""
    mtype = raw[18] if len(raw) >= HEADER_LEN else None
    try:
        if mtype == OPEN:
            return describe_open(raw)
        if mtype == UPDATE:
            return describe_update(raw, asn4, addpath)
        if mtype == NOTIFICATION:
            return describe_notification(raw)
        if mtype == KEEPALIVE:
            return "KEEPALIVE"
        if mtype == ROUTE_REFRESH and len(raw) >= 23:
            afi, _, safi = struct.unpack("!HBB", raw[19:23])
            return "ROUTE-REFRESH %s" % family_name(afi, safi)
    except (ValueError, struct.error, IndexError) as exc:
        return "%s malformed (%s) 0x%s" % (TYPE_NAMES.get(mtype, mtype), exc,
                                           raw.hex())
    return "MESSAGE type %s 0x%s" % (mtype, raw[HEADER_LEN:].hex())
