#!/usr/bin/env python3
"""Bad input against a running daemon's control socket: every request gets a JSON-RPC
error (or its connection is closed for a line past the limit) and the daemon keeps
serving and supervising. Prints one line per kind and a summary.

Usage: scripts/bad-requests.py [SOCKET]   (default: $XDG_RUNTIME_DIR/lifeguard/lifeguard.sock)
"""
import json
import os
import random
import socket
import sys
import time


def path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    return os.path.join(os.environ["XDG_RUNTIME_DIR"], "lifeguard", "lifeguard.sock")


def ask(raw: bytes, timeout=10.0):
    """Sends raw bytes (one line), returns the parsed answer, or a string saying why not."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path())
    try:
        s.sendall(raw + b"\n")
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                return "closed"
            buf += chunk
        return json.loads(buf)
    except (socket.timeout, BrokenPipeError, ConnectionResetError) as e:
        return f"{type(e).__name__}"
    finally:
        s.close()


def alive():
    r = ask(b'{"jsonrpc":"2.0","id":1,"method":"status"}')
    return isinstance(r, dict) and "result" in r


def main():
    rng = random.Random(16)
    kinds = {
        "garbage": [b"not json at all", b"{{{{", b"]", b"null", b"42", b'"x"'],
        "invalid UTF-8": [b"\xff\xfe\xfd", b'{"jsonrpc":"2.0","id":1,"method":"\xc3\x28"}'],
        "deep nesting (100k)": [b"[" * 100_000 + b"]" * 100_000],
        "unknown method / bad params": [
            b'{"jsonrpc":"2.0","id":1,"method":"nope"}',
            b'{"jsonrpc":"2.0","id":1,"method":"pause","params":{"for":"110000000000000d"}}',
            b'{"jsonrpc":"2.0","id":1,"method":"pause","params":{"until":18446744073709551615}}',
            b'{"jsonrpc":"2.0","id":1,"method":"stop","params":{"program":"' + b"A" * 5000 + b'"}}',
            b'{"jsonrpc":"2.0","id":1,"method":"add","params":{"entry":{"id":"x","argv":["true"],"backoff":{"initial":"200000000000000d"}}}}',
        ],
        "random lines (300)": [
            bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 400))).replace(b"\n", b" ")
            for _ in range(300)
        ],
        "64 MiB line": [b'{"jsonrpc":"2.0","id":1,"method":"status","params":"' + b"x" * (64 << 20) + b'"}'],
    }
    total = errors = closed = 0
    for kind, lines in kinds.items():
        got = {"error": 0, "closed": 0, "other": 0}
        for raw in lines:
            total += 1
            r = ask(raw)
            if isinstance(r, dict) and "error" in r:
                got["error"] += 1
                errors += 1
            elif isinstance(r, str):
                got["closed"] += 1
                closed += 1
            else:
                got["other"] += 1
        ok = alive()
        print(f"{kind:32} {len(lines):4} sent: {got['error']} JSON-RPC errors, {got['closed']} closed, {got['other']} other; daemon serving: {ok}")
        if not ok:
            print("FAIL: the daemon stopped answering")
            return 1
    held = []
    for _ in range(2000):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path())
        held.append(s)
    ok = alive()
    for s in held:
        s.close()
    time.sleep(0.5)
    print(f"{'2000 idle connections held':32}       daemon serving meanwhile: {ok}, after: {alive()}")
    print(f"summary: {total} bad requests, {errors} JSON-RPC errors, {closed} connections closed, daemon serving throughout: {ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
