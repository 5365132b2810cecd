#!/usr/bin/env python3
"""The articles' chat room, for netbook bench to compare a Go room with.

A thread per client, as article 003 writes it, with what the article leaves
out done right: messages are lines (one JSON object and a newline, read with
readline, so a message that arrives in pieces or two at once is still one
message), the server uses the connection's own id rather than the one a
client claims, and every write happens under the room's lock, so that two
threads never write to one socket at once and everyone sees the same order.

Each message is written to each other member with its own sendall, one
system call per message per member. With Nagle's algorithm on (the socket
default, and what the article gets), the kernel merges those small writes
into fewer packets; --nodelay turns it off, as Go does for every TCP
connection, to compare like with like.

    python3 room.py [--nodelay]

It prints "listening on tcp 127.0.0.1:PORT" once it listens, and exits when
its standard input ends (netbook holds it open) or on Ctrl-C.
"""

import json
import socket
import sys
import threading

NODELAY = "--nodelay" in sys.argv[1:]


def encode(obj):
    # The same bytes as Go's chatproto.Encode: compact, fields in order,
    # non-ASCII as it is.
    return (json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def announcement(text):
    return {"sender_id": 0, "sender_nickname": "System", "message": text}


class Room:
    def __init__(self):
        self.lock = threading.Lock()
        self.members = {}  # id -> socket
        self.next_id = 1

    def to_all(self, skip, obj):
        """Send obj to every member but skip. The caller holds the lock."""
        line = encode(obj)
        for member_id, sock in list(self.members.items()):
            if member_id != skip:
                try:
                    sock.sendall(line)
                except OSError:
                    pass  # its own thread notices and removes it

    def serve(self, sock):
        if NODELAY:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        my_id, nickname = 0, ""
        reader = sock.makefile("rb")
        try:
            for line in reader:
                try:
                    req = json.loads(line)
                    kind = req.get("type")
                except (ValueError, AttributeError):
                    kind = None
                with self.lock:
                    if kind == "login" and my_id == 0 and str(req.get("nickname", "")).strip():
                        my_id, nickname = self.next_id, req["nickname"]
                        self.next_id += 1
                        sock.sendall(encode({"id": my_id}))
                        self.to_all(my_id, announcement("%s (%d) joined the room" % (nickname, my_id)))
                        self.members[my_id] = sock
                    elif kind == "broadcast" and my_id != 0:
                        self.to_all(my_id, {"sender_id": my_id, "sender_nickname": nickname,
                                            "message": req.get("message", "")})
                    else:
                        sock.sendall(encode(announcement("error: not a login or a broadcast after one")))
        except OSError:
            pass
        finally:
            with self.lock:
                if self.members.get(my_id) is sock:
                    del self.members[my_id]
                    self.to_all(my_id, announcement("%s (%d) left the room" % (nickname, my_id)))
            sock.close()


def main():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    host, port = listener.getsockname()
    print("listening on tcp %s:%d" % (host, port), flush=True)
    room = Room()

    def accept():
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=room.serve, args=(sock,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        sys.stdin.read()  # until netbook closes our standard input
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
