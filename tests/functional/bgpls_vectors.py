"""BGP-LS UPDATEs built by hand from RFC 9552 (NLRI 5.2, attribute TLVs
5.3), RFC 9085 (SR) and RFC 9086 (EPE): shared by the differential test
against Debian's ExaBGP 4.2 and the GoBGP interop test."""
import struct

AFI_BGPLS, SAFI_BGPLS, SAFI_BGPLS_VPN = 16388, 71, 72


def tlv(t, v):
    return struct.pack("!HH", t, len(v)) + v


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def frame(msg_type, body):
    return b"\xff" * 16 + struct.pack("!HB", 19 + len(body), msg_type) + body


def nlri(nlri_type, value):
    """RFC 9552 5.2: [type:2][length:2][value]"""
    return struct.pack("!HH", nlri_type, len(value)) + value


def header(proto, ident=0):
    """RFC 9552 5.2: protocol-id, 64-bit identifier"""
    return bytes([proto]) + struct.pack("!Q", ident)


# RFC 9552 5.2.1.4 node descriptor sub-TLVs
def asn(n): return tlv(512, struct.pack("!I", n))
def lsid(n): return tlv(513, struct.pack("!I", n))
def area(a): return tlv(514, bytes(a))
def rid(b): return tlv(515, bytes(b))
def local(*subs): return tlv(256, b"".join(subs))
def remote(*subs): return tlv(257, b"".join(subs))


def update(nlris, lsattr=b"", withdraw=False, safi=SAFI_BGPLS, nh=bytes([10, 0, 0, 1])):
    field = b"".join(nlris)
    if withdraw:
        attrs = attr(0x80, 15, struct.pack("!HB", AFI_BGPLS, safi) + field)
    else:
        attrs = (attr(0x40, 1, b"\x00") + attr(0x40, 2, b"") + attr(0x40, 5, struct.pack("!I", 100)) +
                 attr(0x80, 14, struct.pack("!HBB", AFI_BGPLS, safi, len(nh)) + nh + b"\x00" + field))
        if lsattr:
            attrs += attr(0x80, 29, lsattr)
    return frame(2, struct.pack("!HH", 0, len(attrs)) + attrs)


ISIS_A = local(asn(65000), lsid(0), rid(bytes.fromhex("000000000001")))
ISIS_B = remote(asn(65000), lsid(0), rid(bytes.fromhex("000000000002")))
OSPF_A = local(asn(65001), area([0, 0, 0, 0]), rid([1, 1, 1, 1]))
OSPF_B = remote(asn(65001), area([0, 0, 0, 0]), rid([2, 2, 2, 2]))
f32 = lambda x: struct.pack("!f", x)  # noqa: E731

NODE_ISIS = nlri(1, header(2) + ISIS_A)
NODE_OSPF_DR = nlri(1, header(3, 7) + local(asn(65001), area([0, 0, 0, 1]), rid([1, 1, 1, 1, 10, 0, 0, 9])))
NODE_ISIS_PSN = nlri(1, header(1) + local(asn(65000), rid(bytes.fromhex("00000000000305"))))
LINK_V4 = nlri(2, header(2) + ISIS_A + ISIS_B + tlv(259, bytes([10, 0, 0, 1])) + tlv(260, bytes([10, 0, 0, 2])))
LINK_V6 = nlri(2, header(3) + OSPF_A + OSPF_B + tlv(261, bytes.fromhex("20010db8000000000000000000000001")) +
               tlv(262, bytes.fromhex("20010db8000000000000000000000002")))
PREFIX_V4 = nlri(3, header(3, 5) + OSPF_A + tlv(264, bytes([1])) + tlv(265, bytes([24, 10, 1, 2])))
PREFIX_V4_HOST = nlri(3, header(2) + ISIS_A + tlv(265, bytes([32, 192, 0, 2, 1])))
PREFIX_V6 = nlri(4, header(2) + ISIS_A + tlv(265, bytes([64]) + bytes.fromhex("20010db800000001")))

NODE_ATTR = (tlv(1026, b"router1") + tlv(1027, bytes.fromhex("490001")) + tlv(1028, bytes([1, 1, 1, 1])) +
             tlv(1029, bytes.fromhex("20010db8000000000000000000000001")) + tlv(1024, bytes([0x80])) +
             # RFC 9085 2.1.2: SR capabilities, I and V flags, two ranges (label, index)
             tlv(1034, bytes([0xC0, 0]) + b"\x00\x1f\x40" + tlv(1161, b"\x00\x3e\x80") +
                 b"\x00\x00\x10" + tlv(1161, struct.pack("!I", 100000))) +
             tlv(1035, bytes([0, 1])))
LINK_ATTR = (tlv(1030, bytes([2, 2, 2, 2])) + tlv(1088, struct.pack("!I", 5)) + tlv(1089, f32(1.25e9)) +
             tlv(1090, f32(1e9)) + tlv(1091, b"".join(f32(x) for x in (1e9, 9.5e8, 1.5, 0, 0, 0, 0, 3e-3))) +
             tlv(1092, struct.pack("!I", 20)) + tlv(1093, bytes([0x40, 0])) + tlv(1094, bytes([0x80])) +
             tlv(1095, bytes([0, 10])) + tlv(1096, struct.pack("!II", 7, 8)) +
             # RFC 9085 2.2.2: LAN adjacency SID with an index
             tlv(1100, bytes([0x00, 2, 0, 0]) + bytes.fromhex("000000000002") + struct.pack("!I", 9)) +
             # RFC 9086 5: peer node SID, which ExaBGP 4.2 does not decode
             tlv(1101, bytes([0xC0, 0, 0, 0]) + b"\x00\x3e\x82"))
# RFC 9085 2.2.1: adjacency SID, V and L flags, weight 1, a label (ExaBGP
# 4.2 fails on every adjacency SID: fastbgp prints the JSON 4.2 meant)
ADJ_SID = tlv(1099, bytes([0x30, 1, 0, 0]) + b"\x00\x3e\x81")
LINK_ATTR_METRICS = tlv(1098, b"link-a") + tlv(1095, bytes([7])) + tlv(1095, bytes([1, 0, 0])) + tlv(1092, struct.pack("!I", 4000000000))
PREFIX_ATTR = (tlv(1152, bytes([0x80])) + tlv(1153, struct.pack("!II", 1, 2)) +
               tlv(1154, struct.pack("!Q", 2 ** 40)) + tlv(1155, struct.pack("!I", 10)) +
               tlv(1156, bytes([10, 0, 0, 254])) +
               # RFC 9085 2.3.1: prefix SID, index 16001, algorithm 0
               tlv(1158, bytes([0x40, 0, 0, 0]) + struct.pack("!I", 16001)) +
               tlv(1170, bytes([0x80])) + tlv(1171, bytes([1, 1, 1, 1])) +
               # RFC 9514 6.1: an SRv6 locator, unknown to ExaBGP 4.2
               tlv(1162, bytes([0, 0, 0, 0]) + struct.pack("!I", 1)))
# N, V, L (4.2 refuses flags with only V and L set)
PREFIX_SID_LABEL = tlv(1158, bytes([0x4C, 1, 0, 0]) + b"\x00\x3e\x80")

# (name, UPDATE) pairs decoded alike by fastbgp and ExaBGP 4.2
CASES = [
    ("node-isis", update([NODE_ISIS], NODE_ATTR)),
    ("node-ospf-dr", update([NODE_OSPF_DR])),
    ("node-isis-pseudonode", update([NODE_ISIS_PSN], tlv(1026, b"lan"))),
    ("link-v4", update([LINK_V4], LINK_ATTR)),
    ("link-v6", update([LINK_V6], LINK_ATTR_METRICS)),
    ("prefix-v4", update([PREFIX_V4], PREFIX_ATTR)),
    ("prefix-v4-host", update([PREFIX_V4_HOST], PREFIX_SID_LABEL)),
    ("prefix-v6", update([PREFIX_V6], tlv(1155, struct.pack("!I", 1)))),
    ("three", update([NODE_ISIS, LINK_V4, PREFIX_V6])),
    ("withdraw", update([NODE_ISIS, LINK_V4, PREFIX_V4], withdraw=True)),
    ("unknown-nlri-type", update([nlri(9, bytes([1, 2, 3]))])),
]
