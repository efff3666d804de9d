#!/usr/bin/python3
"""Standalone receiving BGP peer for demos and manual checks (stdlib only).

Accepts one connection, completes the OPEN exchange, keeps the session up
with KEEPALIVEs and prints every received message decoded, one per line:

  OPEN version 4 as 65001 hold 180 router-id 10.0.0.1 capabilities [...]
  UPDATE announce 10.0.0.0/24 next-hop 1.2.3.4 origin igp as-path [65001] med 10 community [65000:1]
  UPDATE end-of-rib ipv4 unicast

  receiver.py --listen 127.0.0.1 --port 1790 --until-eor --timeout 30

Exit status: 0 when the requested stop condition (--until-eor / --count) was
met, or when only --timeout was given and it expired; 1 otherwise (timeout
while waiting, peer closed or sent a NOTIFICATION, protocol error); 2 on a
usage or listen error.  Progress notes go to stderr, messages to stdout.
"""

import argparse
import ipaddress
import os
import selectors
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bgp_peer as bgp  # noqa: E402

HOLD_TIME = 180


def note(text):
    print("receiver: %s" % text, file=sys.stderr, flush=True)


def mp_families(parsed_open):
    fams = set()
    for code, value in parsed_open["capabilities"]:
        if code == 1 and len(value) == 4:
            afi, _, safi = struct.unpack("!HBB", value)
            fams.add((afi, safi))
    return fams


def negotiated_families(ours, theirs):
    """MP families both sides announced; plain IPv4 unicast when the peer
    sends no MP capability at all (RFC 4760 section 8)."""
    theirs_f = mp_families(theirs) or {(1, 1)}
    return mp_families(ours) & theirs_f


def listen(address, port):
    info = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM,
                              flags=socket.AI_NUMERICHOST)[0]
    sock = socket.socket(info[0], socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(info[4])
    sock.listen(1)
    return sock


class Receiver:
    def __init__(self, args):
        self.args = args
        self.deadline = time.monotonic() + args.timeout
        self.updates = 0
        self.eor_seen = set()
        self.families = set()
        self.session = {"asn4": True, "addpath": set()}
        self.keepalive_every = HOLD_TIME / 3.0
        self.next_keepalive = None

    def left(self):
        return self.deadline - time.monotonic()

    def run(self):
        try:
            server = listen(self.args.listen, self.args.port)
        except (OSError, ValueError) as exc:
            note("cannot listen on %s port %d: %s" % (self.args.listen, self.args.port, exc))
            return 2
        note("listening on %s port %d" % (self.args.listen, self.args.port))
        server.settimeout(max(0.0, self.left()))
        try:
            conn, addr = server.accept()
        except socket.timeout:
            note("timeout: nobody connected")
            return 0 if self.no_condition() else 1
        finally:
            server.close()
        note("connection from %s" % addr[0])
        try:
            return self.session_loop(conn)
        except (bgp.FramingError, OSError, ValueError) as exc:
            note("error: %s" % exc)
            return 1
        finally:
            conn.close()

    def no_condition(self):
        return not self.args.until_eor and not self.args.count

    def done(self):
        if self.args.count and self.updates >= self.args.count:
            return True
        return bool(self.args.until_eor and self.families
                    and self.families <= self.eor_seen)

    def session_loop(self, conn):
        conn.settimeout(5.0)  # bounds sendall; reads happen only when readable
        reader = bgp.MessageReader(conn)
        raw = reader.read(max(0.0, self.left()))
        if raw is None or bgp.msg_type(raw) != bgp.OPEN:
            note("expected an OPEN, got %s" % (bgp.describe(raw) if raw else "nothing"))
            return 1
        conn.settimeout(5.0)  # read() changed it
        print(bgp.describe(raw), flush=True)
        self.reply_open(conn, raw)

        sel = selectors.DefaultSelector()
        sel.register(conn, selectors.EVENT_READ)
        try:
            while not self.done():
                left = self.left()
                if left <= 0:
                    note("timeout after %ss" % self.args.timeout)
                    self.cease(conn)
                    return 0 if self.no_condition() else 1
                if sel.select(timeout=min(left, 1.0)):
                    alive = reader.feed()
                    while True:
                        raw = reader.pop()
                        if raw is None:
                            break
                        if not self.handle(raw):
                            return 1
                        if self.done():
                            break
                    if not alive and not self.done():
                        note("connection closed by peer")
                        return 1
                if time.monotonic() >= self.next_keepalive:
                    conn.sendall(bgp.build_keepalive())
                    self.next_keepalive = time.monotonic() + self.keepalive_every
        finally:
            sel.close()
        note("done: %d UPDATE(s), End-of-RIB for %s" % (
            self.updates, ", ".join(bgp.family_name(*f) for f in sorted(self.eor_seen)) or "none"))
        self.cease(conn)
        return 0

    def reply_open(self, conn, raw):
        theirs = bgp.parse_open(raw)
        asn = self.args.asn if self.args.asn is not None else theirs["asn"]
        rid = self.args.router_id
        if rid is None:  # must differ from the peer's: take theirs + 1
            rid = str(ipaddress.IPv4Address((int(ipaddress.IPv4Address(theirs["router_id"])) + 1)
                                            & 0xFFFFFFFF))
        mine = bgp.build_open(asn, HOLD_TIME, rid, bgp.standard_capabilities(asn))
        conn.sendall(mine + bgp.build_keepalive())
        ours = bgp.parse_open(mine)
        self.session = bgp.session_from_opens(ours, theirs)
        self.families = negotiated_families(ours, theirs)
        hold = min(HOLD_TIME, theirs["hold"])
        self.keepalive_every = max(1.0, hold / 3.0) if hold else 60.0
        self.next_keepalive = time.monotonic() + self.keepalive_every
        note("sent OPEN as %d router-id %s; families %s" % (
            asn, rid, ", ".join(bgp.family_name(*f) for f in sorted(self.families))))

    def handle(self, raw):
        """Print one message; False when the session is over (NOTIFICATION)."""
        mtype = bgp.msg_type(raw)
        if mtype == bgp.KEEPALIVE and self.args.no_keepalive:
            return True
        print(bgp.describe(raw, self.session["asn4"], self.session["addpath"]), flush=True)
        if mtype == bgp.NOTIFICATION:
            return False
        if mtype == bgp.UPDATE:
            self.updates += 1
            try:
                upd = bgp.parse_update(raw, self.session["asn4"], self.session["addpath"])
            except ValueError:
                return True  # already printed as malformed
            if upd["eor"]:
                self.eor_seen.add(upd["eor"])
        return True

    @staticmethod
    def cease(conn):
        """Close politely: Cease / Administrative Shutdown (RFC 4486)."""
        try:
            conn.sendall(bgp.build_notification(6, 2))
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description="Receiving BGP peer: prints what it is sent.")
    ap.add_argument("--listen", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--port", type=int, default=179, help="TCP port (default 179)")
    ap.add_argument("--as", dest="asn", type=int, help="our AS (default: the peer's, i.e. iBGP)")
    ap.add_argument("--router-id", help="our router-id (default: the peer's + 1)")
    ap.add_argument("--count", type=int, default=0, help="exit after this many UPDATEs")
    ap.add_argument("--until-eor", action="store_true",
                    help="exit once End-of-RIB was received for every negotiated family")
    ap.add_argument("--timeout", type=float, default=60.0, help="give up after S seconds (default 60)")
    ap.add_argument("--no-keepalive", action="store_true", help="do not print received KEEPALIVEs")
    args = ap.parse_args()
    if args.router_id is not None:
        try:
            ipaddress.IPv4Address(args.router_id)
        except ValueError:
            ap.error("--router-id must be an IPv4 address")
    if args.asn is not None and not 0 < args.asn < 2 ** 32:
        ap.error("--as must be between 1 and 4294967295")
    return Receiver(args).run()


if __name__ == "__main__":
    sys.exit(main())
