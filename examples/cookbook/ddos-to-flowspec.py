#!/usr/bin/python3
"""examples/cookbook/ddos-to-flowspec.py: a detector's alerts -> FlowSpec.

Reads alerts from a FIFO (default /run/ddos-alerts), one per line:
    start VICTIM/LEN PROTOCOL PORT      e.g. start 203.0.113.5/32 udp 53
    stop  VICTIM/LEN PROTOCOL PORT
and prints the matching `announce flow route` / `withdraw flow route`
commands on stdout for fastbgp.  Lines that do not parse are ignored, so a
noisy detector can not inject commands."""
import ipaddress
import os
import sys

FIFO = os.environ.get("DDOS_ALERTS", "/run/ddos-alerts")


def rule(victim, proto, port):
    return ("flow route { match { destination %s; protocol %s; destination-port =%d; } then { discard; } }"
            % (victim, proto, port))


def main():
    if not os.path.exists(FIFO):
        os.mkfifo(FIFO, 0o600)
    while True:
        with open(FIFO) as alerts:
            for line in alerts:
                words = line.split()
                if len(words) != 4 or words[0] not in ("start", "stop") or words[2] not in ("udp", "tcp"):
                    continue
                try:
                    victim = ipaddress.ip_network(words[1])
                    port = int(words[3])
                except ValueError:
                    continue
                if not 0 < port < 65536:
                    continue
                verb = "announce" if words[0] == "start" else "withdraw"
                sys.stdout.write("%s %s\n" % (verb, rule(victim, words[2], port)))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
