"""Oracle: decodes path attributes with an installed ExaBGP 4.2 (Debian's
python3 package) and prints its JSON and text forms, one input per line:
"<asn4 0|1> <attributes hex>" -> "JSON ..." and "TEXT ..." (or "EXC ...")."""
import sys

sys.path.insert(0, '/usr/lib/python3/dist-packages')
from exabgp.configuration.setup import environment  # noqa: E402

environment.setup('/nonexistent.env')
from exabgp.bgp.message.update.attribute import Attributes  # noqa: E402
from exabgp.bgp.message.direction import Direction  # noqa: E402


class AddPath:
    def receive(self, afi, safi):
        return False

    def send(self, afi, safi):
        return False


class Neighbor:
    aigp = False


class Negotiated:
    asn4 = True
    addpath = AddPath()
    neighbor = Neighbor()
    nexthop = []
    families = []


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    asn4, hexdata = line.split(' ', 1)
    Negotiated.asn4 = asn4 == '1'
    Attributes.cached = None
    Attributes.previous = ''
    try:
        a = Attributes.unpack(bytes.fromhex(hexdata), Direction.IN, Negotiated())
        print('JSON ' + a.json())
        print('TEXT ' + repr(a))
    except Exception as exc:  # ExaBGP fails on some inputs; the comparison skips them
        print('EXC %s %r' % (type(exc).__name__, str(exc)))
