"""The route set every sender injects, written in each implementation's form.

N routes: 40 % IPv4 /24 (from 1.0.0.0), 40 % IPv4 /32 (from 100.64.0.0),
20 % IPv6 /48 (from 2a00::/48), interleaved in that proportion.  Route i
uses attribute set (i // 10) % 8; set k is

    origin igp, as-path [ 65001 6510k ], med 10*k,
    community [ 65001:k 65001:100 ], and for k >= 4 large-community [ 65001:1:k ]

IPv4 routes have next-hop 10.0.0.1, IPv6 routes 2001:db8::1.  The sending AS
is 65001 and the AS_PATH written by every sender is [65001 6510k]: ExaBGP and
fastbgp are given the full path, BIRD and GoBGP prepend 65001 themselves on
eBGP (so they are given [6510k]).  BIRD and GoBGP also rewrite the next-hop to
their own address on eBGP; the number of attribute sets on the wire is the same.

Forms: ExaBGP/fastbgp static configuration, API commands (one per line or
batched "announce attributes ... nlri ..."), BIRD static protocols, an MRT
TABLE_DUMP_V2 file for `gobgp mrt inject`.
"""

import ipaddress
import struct

NSETS = 8
NH4 = "10.0.0.1"
NH6 = "2001:db8::1"
SENDER_AS = 65001


def kind_of(i):
    r = i % 10
    return 0 if r < 4 else (1 if r < 8 else 2)  # 0: v4/24, 1: v4/32, 2: v6/48


def routes(n):
    """Yields (kind, prefix text, attribute set) for route 0..n-1."""
    counters = [0, 0, 0]
    for i in range(n):
        k = kind_of(i)
        j = counters[k]
        counters[k] += 1
        s = (i // 10) % NSETS
        if k == 0:
            a = 0x01000000 + (j << 8)
            p = "%d.%d.%d.0/24" % (a >> 24 & 255, a >> 16 & 255, a >> 8 & 255)
        elif k == 1:
            a = 0x64400000 + j
            p = "%d.%d.%d.%d/32" % (a >> 24 & 255, a >> 16 & 255, a >> 8 & 255, a & 255)
        else:
            hi, lo = j >> 16, j & 0xFFFF
            if lo:
                p = "2a00:%x:%x::/48" % (hi, lo)
            else:
                p = "2a00:%x::/48" % hi if hi else "2a00::/48"
        yield k, p, s


def counts(n):
    full = n // 10
    c = [full * 4, full * 4, full * 2]
    for i in range(full * 10, n):
        c[kind_of(i)] += 1
    return {"ipv4": c[0] + c[1], "ipv6": c[2]}


def exa_attrs(s, full_path=True):
    """The attribute words of set s in ExaBGP's route syntax."""
    path = "[ %d %d ]" % (SENDER_AS, 65100 + s) if full_path else "[ %d ]" % (65100 + s)
    text = "origin igp as-path %s med %d community [ %d:%d %d:100 ]" % (
        path, 10 * s, SENDER_AS, s, SENDER_AS)
    if s >= 4:
        text += " large-community [ %d:1:%d ]" % (SENDER_AS, s)
    return text


def nh_for(kind):
    return NH6 if kind == 2 else NH4


# ---------------------------------------------------------------- ExaBGP / fastbgp


def exa_neighbor_header(peer, local, router_id, local_as, peer_as, hold=90, extra=""):
    return ("neighbor %s {\n"
            "\trouter-id %s;\n"
            "\tlocal-address %s;\n"
            "\tlocal-as %d;\n"
            "\tpeer-as %d;\n"
            "\thold-time %d;\n"
            "\tfamily { ipv4 unicast; ipv6 unicast; }\n"
            "%s" % (peer, router_id, local, local_as, peer_as, hold, extra))


def write_exa_static(path, n, header):
    """A configuration with one neighbor (header from exa_neighbor_header,
    without its closing brace) and N static routes."""
    attrs = [exa_attrs(s) for s in range(NSETS)]
    with open(path, "w") as out:
        out.write(header)
        out.write("\tstatic {\n")
        buf = []
        for k, p, s in routes(n):
            buf.append("\t\troute %s next-hop %s %s;\n" % (p, nh_for(k), attrs[s]))
            if len(buf) >= 10000:
                out.write("".join(buf))
                buf = []
        out.write("".join(buf))
        out.write("\t}\n}\n")


def write_api_lines(path, n):
    """One 'announce route' command per line."""
    attrs = [exa_attrs(s) for s in range(NSETS)]
    with open(path, "w") as out:
        buf = []
        for k, p, s in routes(n):
            buf.append("announce route %s next-hop %s %s\n" % (p, nh_for(k), attrs[s]))
            if len(buf) >= 10000:
                out.write("".join(buf))
                buf = []
        out.write("".join(buf))


def write_api_batched(path, n, per_line=500):
    """'announce attributes <attrs> next-hop NH nlri P1 P2 ...' commands, up
    to per_line prefixes each, grouped by (family, attribute set) in the
    order the routes come (ExaBGP 4.2 takes IPv4 and IPv6 prefixes there)."""
    attrs = [exa_attrs(s) for s in range(NSETS)]
    pending = {}
    with open(path, "w") as out:
        def flush(key):
            v6, s = key
            out.write("announce attributes %s next-hop %s nlri %s\n" % (
                attrs[s], NH6 if v6 else NH4, " ".join(pending.pop(key))))
        for k, p, s in routes(n):
            key = (1 if k == 2 else 0, s)
            lst = pending.setdefault(key, [])
            lst.append(p)
            if len(lst) >= per_line:
                flush(key)
        for key in list(pending):
            flush(key)


# ---------------------------------------------------------------- BIRD


def bird_static(n):
    """BIRD 2 static protocols: one per (family, attribute set); attributes
    are set by the protocol's import filter (BIRD prepends its AS on eBGP)."""
    per = {}
    for k, p, s in routes(n):
        per.setdefault((4 if k < 2 else 6, s), []).append(p)
    parts = []
    for (fam, s), prefixes in sorted(per.items()):
        lc = " bgp_large_community.add((%d, 1, %d));" % (SENDER_AS, s) if s >= 4 else ""
        parts.append(
            "protocol static st%d_%d {\n"
            "\tipv%d { import filter { bgp_origin = ORIGIN_IGP; bgp_path.prepend(%d); bgp_med = %d;"
            " bgp_community.add((%d, %d)); bgp_community.add((%d, 100));%s accept; }; };\n"
            % (fam, s, fam, 65100 + s, 10 * s, SENDER_AS, s, SENDER_AS, lc))
        parts.append("".join("\troute %s blackhole;\n" % p for p in prefixes))
        parts.append("}\n")
    return "".join(parts)


# ---------------------------------------------------------------- MRT (RFC 6396)


def _attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def _mrt(subtype, body, ts=0):
    return struct.pack("!IHHI", ts, 13, subtype, len(body)) + body


def write_mrt(path, n, peer_ip="10.66.0.9", peer_as=SENDER_AS, pad=0):
    """TABLE_DUMP_V2: PEER_INDEX_TABLE then one RIB_IPV4_UNICAST /
    RIB_IPV6_UNICAST record per prefix, one RIB entry each.  AS_PATH holds
    [6510k] (4-octet ASNs); IPv6 entries carry a full MP_REACH_NLRI (AFI,
    SAFI, next-hop, the prefix): GoBGP 3 misreads RFC 6396's abbreviated
    form.  pad: extra IPv4 /32s from 198.18.0.0 written after the N routes
    (see peers.GobgpMrt)."""
    nh6 = ipaddress.IPv6Address(NH6).packed
    attrsets = {}
    for s in range(NSETS):
        com = struct.pack("!HHHH", SENDER_AS, s, SENDER_AS, 100)
        common = (_attr(0x40, 1, b"\x00")
                  + _attr(0x40, 2, struct.pack("!BBI", 2, 1, 65100 + s)))
        tail = _attr(0x80, 4, struct.pack("!I", 10 * s)) + _attr(0xC0, 8, com)
        if s >= 4:
            tail += _attr(0xC0, 32, struct.pack("!III", SENDER_AS, 1, s))
        v4 = common + _attr(0x40, 3, ipaddress.IPv4Address(NH4).packed) + tail
        attrsets[s] = (v4, common + tail)
    with open(path, "wb") as out:
        peers = struct.pack("!B4s4sI", 0x02, ipaddress.IPv4Address(peer_ip).packed,
                            ipaddress.IPv4Address(peer_ip).packed, peer_as)
        body = struct.pack("!4sH", ipaddress.IPv4Address("10.66.0.9").packed, 0) + struct.pack("!H", 1) + peers
        out.write(_mrt(1, body))
        buf = []
        def padded():
            for r in routes(n):
                yield r
            for j in range(pad):
                a = 0xC6120000 + j
                yield 1, "%d.%d.%d.%d/32" % (a >> 24 & 255, a >> 16 & 255, a >> 8 & 255, a & 255), 0
        for seq, (k, p, s) in enumerate(padded()):
            net = ipaddress.ip_network(p)
            plen = net.prefixlen
            pbytes = net.network_address.packed[:(plen + 7) // 8]
            attrs = attrsets[s][1 if k == 2 else 0]
            if k == 2:  # full MP_REACH_NLRI (GoBGP does not read the abbreviated form)
                attrs += _attr(0x80, 14, struct.pack("!HBB", 2, 1, 16) + nh6 + b"\x00" + bytes([plen]) + pbytes)
            entry = struct.pack("!HIH", 0, 0, len(attrs)) + attrs
            body = struct.pack("!IB", seq, plen) + pbytes + struct.pack("!H", 1) + entry
            buf.append(_mrt(4 if k == 2 else 2, body))
            if len(buf) >= 10000:
                out.write(b"".join(buf))
                buf = []
        out.write(b"".join(buf))


# ---------------------------------------------------------------- GoBGP API


def gobgp_paths(n):
    """(afi, prefix, plen, nexthop, set) for the gRPC injector."""
    for k, p, s in routes(n):
        net, plen = p.split("/")
        yield (2 if k == 2 else 1), net, int(plen), nh_for(k), s
