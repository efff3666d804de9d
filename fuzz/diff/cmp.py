"""Compares fastbgp (drv.c) and ExaBGP (exabgp_attrs.py) outputs line by
line; inputs ExaBGP fails on are skipped.  Exits 1 on any difference."""
import sys

ours = open(sys.argv[1]).read().split('\n')
theirs = open(sys.argv[2]).read().split('\n')
inputs = open(sys.argv[3]).read().split('\n')
i = j = k = 0
bad = exc = verdict = 0
while i < len(ours) - 1 and j < len(theirs) - 1:
    if theirs[j].startswith('EXC'):
        j += 1
        i += 2
        k += 1
        exc += 1
        continue
    if ours[i].startswith('VERDICT'):
        verdict += 1
        print('fastbgp refused:', inputs[k], ours[i])
        i += 2
        j += 2
        k += 1
        continue
    for d in range(2):
        if ours[i + d] != theirs[j + d]:
            bad += 1
            if bad < 6:
                print('IN     ', inputs[k])
                print('fastbgp', ours[i + d])
                print('exabgp ', theirs[j + d])
    i += 2
    j += 2
    k += 1
print('%d cases: %d differences, %d refused by fastbgp, %d that ExaBGP fails to decode' % (k, bad, verdict, exc))
sys.exit(1 if bad or verdict else 0)
