#!/usr/bin/env python3
"""Draws Lifeguard's app and tray icons as RGBA PNGs, with nothing but the standard library.

The app icon is a lifebuoy; each tray icon is the same buoy with a badge for the overall
state (all up, restarting, gave up, paused). Run from anywhere: writes into icons/.
"""
import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons")
RED = (220, 53, 47)
WHITE = (250, 250, 250)
GREY = (150, 150, 150)
LIGHT = (215, 215, 215)
OUTLINE = (60, 60, 60)
BADGES = {
    "ok": (46, 160, 67),
    "restarting": (230, 160, 20),
    "gave-up": (200, 30, 30),
    "paused": (110, 110, 110),
}


def png(path, size, pixel):
    """Writes a size x size RGBA PNG whose colour at (x, y) in [0,1)^2 is pixel(x, y)."""
    ss = 3  # supersampling for smooth edges
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(ss):
                for sx in range(ss):
                    r, g, b, a = pixel((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = ss * ss
            alpha = acc[3] / n
            if alpha > 0:
                row += bytes(int(round(acc[i] / acc[3])) for i in range(3))
            else:
                row += b"\0\0\0"
            row.append(int(round(alpha * 255)))
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n"
    data += chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    data += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def buoy(paused=False):
    """The lifebuoy: a ring of four red and four white segments with a thin outline."""
    def pixel(x, y):
        dx, dy = x - 0.5, y - 0.5
        r = math.hypot(dx, dy)
        if r > 0.47 or r < 0.22:
            return (0, 0, 0, 0.0)
        if r > 0.45 or r < 0.24:
            return (*OUTLINE, 1.0)
        segment = int(((math.atan2(dy, dx) + math.pi / 8) % (2 * math.pi)) / (math.pi / 4))
        if paused:
            return (*(GREY if segment % 2 == 0 else LIGHT), 1.0)
        return (*(RED if segment % 2 == 0 else WHITE), 1.0)
    return pixel


def with_badge(base, colour):
    """The buoy with a round state badge in its lower right corner."""
    def pixel(x, y):
        d = math.hypot(x - 0.76, y - 0.76)
        if d < 0.20:
            return (*colour, 1.0)
        if d < 0.24:
            return (255, 255, 255, 1.0)
        return base(x, y)
    return pixel


def main():
    os.makedirs(OUT, exist_ok=True)
    app = buoy()
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 256)]:
        png(os.path.join(OUT, name), size, app)
    for state, colour in BADGES.items():
        png(os.path.join(OUT, f"tray-{state}.png"), 64, with_badge(buoy(paused=state == "paused"), colour))
    print("icons written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
