#!/usr/bin/env python3
"""Writes a configuration with N static routes (default 1,000,000) to stdout.

    tests/config/gen_big.py [N] [--vary-nexthop] > /tmp/big.conf

Routes are consecutive /24s starting at 1.0.0.0, all with the same next-hop
(or, with --vary-nexthop, one of 256 next-hops), as a route injector would
write them."""
import sys


def main():
    n = 1000000
    vary = False
    for a in sys.argv[1:]:
        if a == '--vary-nexthop':
            vary = True
        else:
            n = int(a)
    out = sys.stdout
    out.write('neighbor 127.0.0.1 {\n'
              '\trouter-id 10.0.0.1;\n'
              '\tlocal-address 127.0.0.1;\n'
              '\tlocal-as 65000;\n'
              '\tpeer-as 65001;\n'
              '\tfamily { ipv4 unicast; }\n'
              '\tstatic {\n')
    lines = []
    for i in range(n):
        net = (1 << 24) + (i << 8)
        nh = '10.0.%d.1' % (i % 256) if vary else '10.0.0.1'
        lines.append('\t\troute %d.%d.%d.0/24 next-hop %s;\n'
                     % (net >> 24 & 255, net >> 16 & 255, net >> 8 & 255, nh))
        if len(lines) == 10000:
            out.write(''.join(lines))
            lines = []
    out.write(''.join(lines))
    out.write('\t}\n}\n')


if __name__ == '__main__':
    main()
