"""Random path attribute lists (hex) for the ExaBGP differential check:
"<asn4 0|1> <attributes hex>" per line; fuzz/diff/run.sh drives it."""
import random, struct, sys
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
def attr(flags, code, val):
    if len(val) > 255: flags |= 0x10
    if flags & 0x10: return bytes([flags, code]) + struct.pack('!H', len(val)) + val
    return bytes([flags, code, len(val)]) + val
def asn(asn4):
    if asn4: return random.choice([1, 65000, 65535, 70000, 4294967295, random.randrange(1<<32)])
    return random.choice([1, 65000, 65535, random.randrange(1<<16)])
def aspath(asn4):
    out = b''
    types = [2,2,2,1,3,4]
    for _ in range(random.randrange(0, 4)):
        t = random.choice(types); n = random.randrange(1, 5)
        out += bytes([t, n]) + b''.join(struct.pack('!L' if asn4 else '!H', asn(asn4)) for _ in range(n))
    return out
EXT = [(0,2),(1,2),(2,2),(0,3),(1,3),(2,3),(0,0x13),(1,0x13),(2,0x13),(0,6),(0,7),(0,8),(0,9),(1,0xc),(8,0),(0,0xa),(3,0xc),(3,0x14),(7,2),(6,0),(0,4),(5,5)]
def ext():
    t, s = random.choice(EXT)
    hi = random.choice([0, 0x40, 0x80, 0xc0])
    body = bytes(random.randrange(256) for _ in range(6))
    if (t, s) == (0, 6):
        body = b'\x00\x01' + struct.pack('!f', random.choice([0.0, 1.5, 1000000.0, 12345.678, 3.4e38, -2.5]))
    if (t, s) == (3, 0xc):
        body = b'\x00'*4 + struct.pack('!H', random.choice([0,1,2,7,8,9,10,12,13,5]))
    if (t, s) == (7, 2) and random.random() < .5:
        body = body[:4] + struct.pack('!H', random.randrange(1<<16))
    if (t, s) == (6, 0):
        body = bytes([random.choice([0,1,2]), 0]) + body[2:]
    return bytes([hi | t, s]) + body
def comm():
    return random.choice([struct.pack('!L', random.choice([0xFFFFFF01,0xFFFFFF02,0xFFFFFF03,0xFFFFFF04,0xFFFF029A])), struct.pack('!HH', random.randrange(65536), random.randrange(65536))])
def ip4(): return bytes(random.randrange(256) for _ in range(4))
def gen(asn4):
    attrs = []
    attrs.append(attr(0x40, 1, bytes([random.randrange(3)])))
    attrs.append(attr(0x40, 2, aspath(asn4)))
    attrs.append(attr(0x40, 3, ip4()))
    if random.random() < .5: attrs.append(attr(0x80, 4, struct.pack('!L', random.randrange(1<<32))))
    if random.random() < .5: attrs.append(attr(0x40, 5, struct.pack('!L', random.randrange(1<<32))))
    if random.random() < .3: attrs.append(attr(0x40, 6, b''))
    if random.random() < .3: attrs.append(attr(0xc0, 7, struct.pack('!L' if asn4 else '!H', asn(asn4)) + ip4()))
    if random.random() < .5: attrs.append(attr(0xc0, 8, b''.join(comm() for _ in range(random.randrange(1, 5)))))
    if random.random() < .3: attrs.append(attr(0x80, 9, ip4()))
    if random.random() < .3: attrs.append(attr(0x80, 10, b''.join(ip4() for _ in range(random.randrange(1, 4)))))
    if random.random() < .6: attrs.append(attr(0xc0, 16, b''.join(ext() for _ in range(random.randrange(1, 4)))))
    if random.random() < .3:
        typ = random.choice([0,1,2,3,6,6,7,9]); tun = ip4() if typ == 6 else bytes(random.randrange(256) for _ in range(random.randrange(0,6)))
        attrs.append(attr(0xc0, 22, bytes([random.randrange(256), typ]) + struct.pack('!L', random.choice([0, random.randrange(1<<24)]))[1:] + tun))
    if random.random() < .3:
        ipv6 = b''
        for _ in range(random.randrange(1,3)):
            t = random.choice([(0,0xc),(0,0x2),(0x40, 0xc)])
            ipv6 += bytes(t) + bytes(random.randrange(256) for _ in range(16)) + struct.pack('!H', random.randrange(3))
        attrs.append(attr(0xc0, 25, ipv6))
    if random.random() < .4:
        lc = [struct.pack('!LLL', *(random.choice([1,2,random.randrange(1<<32)]) for _ in range(3))) for _ in range(random.randrange(1,5))]
        if random.random() < .5: lc.append(lc[0])
        attrs.append(attr(0xc0, 32, b''.join(lc)))
    if random.random() < .3:
        v = b''
        if random.random() < .8: v += b'\x01\x00\x07\x00\x00\x00' + struct.pack('!L', random.randrange(1<<32))
        if random.random() < .5:
            n = random.randrange(0, 3)
            v += b'\x03' + struct.pack('!H', 2 + 6*n) + b'\x00\x00' + b''.join(struct.pack('!L', random.randrange(1<<24))[1:] + struct.pack('!L', random.randrange(1<<24))[1:] for _ in range(n))
        if random.random() < .2: v += b'\x05\x00\x15' + bytes(21)
        if v: attrs.append(attr(0xc0, 40, v))
    if random.random() < .3: attrs.append(attr(random.choice([0xc0, 0xe0, 0xd0]), random.choice([0x63, 0x99, 0xfe]), bytes(random.randrange(256) for _ in range(random.randrange(0, 6)))))
    random.shuffle(attrs)
    return b''.join(attrs)
for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 200):
    a4 = random.random() < .7
    print('%d %s' % (a4, gen(a4).hex()))
