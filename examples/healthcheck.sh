#!/bin/sh
# Demo helper for `make run`: a minimal health check that announces a
# service address while the check passes (here: always), the way users
# drive ExaBGP from a script.  Commands go to stdout, one per line.
printf 'announce route 198.51.100.53/32 next-hop self med 50 community [ 65001:53 ]\n'
# Keep running (and reading fastbgp's replies) until fastbgp stops us.
while read -r _; do :; done
