#!/usr/bin/python3
"""A minimal gRPC client for GoBGP's AddPathStream (stdlib only).

    gobgp_grpc.py encode N FILE          pre-encode the route set (routes.py)
    gobgp_grpc.py send HOST:PORT FILE STATUS [TIMEOUT]

`encode` writes the length-prefixed gRPC messages (AddPathStreamRequest,
1,000 paths each) to FILE, so the timed part only streams bytes.  `send`
opens an HTTP/2 connection without TLS (prior knowledge), one stream to
/apipb.GobgpApi/AddPathStream, sends FILE as DATA frames within the flow
control windows the server grants, half-closes, and waits for the server
to end the stream (its reply is google.protobuf.Empty; the trailers are
not decoded, the caller checks the RIB instead).  STATUS gets 'start' and
'done' (CLOCK_MONOTONIC) and 'result ok' or 'result error:TEXT'.

Messages follow GoBGP 3's api/gobgp.proto and api/attribute.proto
(package apipb): Path{nlri: Any(IPAddressPrefix), pattrs: [Any(...)],
family}, IPv4 with NextHopAttribute, IPv6 with MpReachNLRIAttribute.
"""

import os
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import routes  # noqa: E402

PATHS_PER_MSG = 1000

# ---------------------------------------------------------------- protobuf


def varint(v):
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def f_varint(field, v):
    return varint(field << 3) + varint(v) if v else b""


def f_bytes(field, data):
    return varint(field << 3 | 2) + varint(len(data)) + data


def f_packed(field, values):
    return f_bytes(field, b"".join(varint(v) for v in values))


def any_(type_name, value):
    return f_bytes(1, ("type.googleapis.com/apipb." + type_name).encode()) + f_bytes(2, value)


def family(afi):
    return f_varint(1, afi) + f_varint(2, 1)


def prefix_any(net, plen):
    return any_("IPAddressPrefix", f_varint(1, plen) + f_bytes(2, net.encode()))


def common_attrs(s):
    """The pattrs of attribute set s except the next-hop (an Any each)."""
    out = [any_("OriginAttribute", b""),
           any_("AsPathAttribute", f_bytes(1, f_varint(1, 2) + f_packed(2, [65100 + s]))),
           any_("MultiExitDiscAttribute", f_varint(1, 10 * s)),
           any_("CommunitiesAttribute", f_packed(1, [routes.SENDER_AS << 16 | s, routes.SENDER_AS << 16 | 100]))]
    if s >= 4:
        lc = f_varint(1, routes.SENDER_AS) + f_varint(2, 1) + f_varint(3, s)
        out.append(any_("LargeCommunitiesAttribute", f_bytes(1, lc)))
    return out


def encode(n, path):
    pre4 = {}
    pre6 = {}
    for s in range(routes.NSETS):
        c = common_attrs(s)
        pre4[s] = b"".join(f_bytes(2, a) for a in c + [any_("NextHopAttribute", f_bytes(1, routes.NH4.encode()))]) \
            + f_bytes(9, family(1))
        pre6[s] = b"".join(f_bytes(2, a) for a in c)
    fam6 = f_bytes(1, family(2))
    nh6 = f_bytes(2, routes.NH6.encode())
    with open(path, "wb") as out:
        batch = []

        def flush():
            body = b"".join(batch)
            out.write(b"\x00" + struct.pack("!I", len(body)) + body)
            batch.clear()
        for afi, net, plen, _nh, s in routes.gobgp_paths(n):
            nlri = prefix_any(net, plen)
            if afi == 1:
                p = f_bytes(1, nlri) + pre4[s]
            else:
                mp = any_("MpReachNLRIAttribute", fam6 + nh6 + f_bytes(3, nlri))
                p = f_bytes(1, nlri) + pre6[s] + f_bytes(2, mp) + f_bytes(9, family(2))
            batch.append(f_bytes(3, p))
            if len(batch) >= PATHS_PER_MSG:
                flush()
        if batch:
            flush()


# ---------------------------------------------------------------- HTTP/2

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1


def frame(ftype, flags, stream, payload=b""):
    return struct.pack("!I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack("!I", stream) + payload


def hpack_literal(name, value):
    """Literal header field without indexing, new name, no Huffman."""
    def s(x):
        x = x.encode()
        assert len(x) < 127
        return bytes([len(x)]) + x
    return b"\x00" + s(name) + s(value)


class Conn:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.cv = threading.Condition()
        self.conn_window = 65535
        self.stream_window = 65535
        self.initial_window = 65535
        self.max_frame = 16384
        self.ended = False
        self.error = None
        self.wlock = threading.Lock()

    def send(self, data):
        with self.wlock:
            self.sock.sendall(data)

    def reader(self):
        buf = b""
        try:
            while not self.ended:
                while len(buf) < 9:
                    d = self.sock.recv(65536)
                    if not d:
                        raise OSError("connection closed")
                    buf += d
                length = struct.unpack("!I", b"\x00" + buf[:3])[0]
                ftype, flags = buf[3], buf[4]
                stream = struct.unpack("!I", buf[5:9])[0] & 0x7FFFFFFF
                while len(buf) < 9 + length:
                    d = self.sock.recv(65536)
                    if not d:
                        raise OSError("connection closed")
                    buf += d
                payload, buf = buf[9:9 + length], buf[9 + length:]
                self.handle(ftype, flags, stream, payload)
        except (OSError, ValueError) as exc:
            with self.cv:
                if not self.ended:
                    self.error = str(exc)
                self.ended = True
                self.cv.notify_all()

    def handle(self, ftype, flags, stream, payload):
        with self.cv:
            if ftype == SETTINGS and not flags & ACK:
                for i in range(0, len(payload) - 5, 6):
                    ident, val = struct.unpack("!HI", payload[i:i + 6])
                    if ident == 4:
                        self.stream_window += val - self.initial_window
                        self.initial_window = val
                    elif ident == 5:
                        self.max_frame = val
                self.send(frame(SETTINGS, ACK, 0))
            elif ftype == WINDOW_UPDATE:
                inc = struct.unpack("!I", payload[:4])[0] & 0x7FFFFFFF
                if stream == 0:
                    self.conn_window += inc
                else:
                    self.stream_window += inc
            elif ftype == PING and not flags & ACK:
                self.send(frame(PING, ACK, 0, payload))
            elif ftype in (HEADERS, DATA) and flags & END_STREAM:
                self.ended = True
            elif ftype == RST_STREAM:
                self.error = "RST_STREAM code %d" % struct.unpack("!I", payload[:4])[0]
                self.ended = True
            elif ftype == GOAWAY:
                code = struct.unpack("!I", payload[4:8])[0]
                if code:
                    self.error = "GOAWAY code %d %r" % (code, payload[8:200])
                    self.ended = True
            self.cv.notify_all()

    def write_data(self, data, deadline):
        off = 0
        while off < len(data):
            with self.cv:
                while (self.conn_window <= 0 or self.stream_window <= 0) and not self.ended:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError("flow control window stayed closed")
                    self.cv.wait(min(left, 1.0))
                if self.ended:
                    raise OSError(self.error or "stream ended early")
                n = min(len(data) - off, self.conn_window, self.stream_window, self.max_frame)
                self.conn_window -= n
                self.stream_window -= n
            self.send(frame(DATA, 0, 1, data[off:off + n]))
            off += n


def send(target, path, status, timeout=3600.0):
    host, port = target.rsplit(":", 1)
    t0 = time.monotonic()
    deadline = t0 + timeout
    result = "ok"
    try:
        c = Conn(host, int(port), min(timeout, 60.0))
        c.send(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + frame(SETTINGS, 0, 0))
        threading.Thread(target=c.reader, daemon=True).start()
        hdrs = b"".join(hpack_literal(k, v) for k, v in (
            (":method", "POST"), (":scheme", "http"), (":path", "/apipb.GobgpApi/AddPathStream"),
            (":authority", target), ("content-type", "application/grpc"), ("te", "trailers")))
        c.send(frame(HEADERS, END_HEADERS, 1, hdrs))
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                c.write_data(chunk, deadline)
        c.send(frame(DATA, END_STREAM, 1))
        with c.cv:
            while not c.ended and time.monotonic() < deadline:
                c.cv.wait(1.0)
        if c.error:
            result = "error:" + c.error
        elif not c.ended:
            result = "error:timeout"
        c.sock.close()
    except (OSError, TimeoutError) as exc:
        result = "error:%s" % exc
    t1 = time.monotonic()
    with open(status + ".tmp", "w") as f:
        f.write("start %.6f\ndone %.6f\nresult %s\n" % (t0, t1, result.replace(" ", "_")))
    os.rename(status + ".tmp", status)
    return 0 if result == "ok" else 1


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "encode":
        encode(int(sys.argv[2]), sys.argv[3])
        return 0
    if len(sys.argv) >= 5 and sys.argv[1] == "send":
        return send(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]) if len(sys.argv) > 5 else 3600.0)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
