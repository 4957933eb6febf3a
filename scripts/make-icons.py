#!/usr/bin/env python3
"""Draws Lifeguard's app and tray icons as RGBA PNGs, with nothing but the standard library.

The app icon is a lifebuoy; each tray icon is the same buoy with a badge for the overall
state (all up, restarting, gave up, paused). Run from anywhere: writes into icons/, and the
freedesktop icon theme tree the package installs into icons/hicolor/: the app icon from 16
to 512 px, a scalable SVG, and monochrome `-symbolic` SVGs (app and tray states) that
GNOME recolours to match the panel.
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


APP_ID = "org.lifeguard.Lifeguard"
THEME_SIZES = [16, 22, 24, 32, 48, 64, 128, 256, 512]


def svg_ring(fill_segments):
    """The buoy as SVG paths on a 16x16 canvas: eight ring segments, alternating."""
    paths = []
    for i in range(8):
        a0 = (i - 0.5) * math.pi / 4
        a1 = (i + 0.5) * math.pi / 4
        ro, ri = 7.5, 3.8
        pts = [(8 + ro * math.cos(a0), 8 + ro * math.sin(a0)), (8 + ro * math.cos(a1), 8 + ro * math.sin(a1)),
               (8 + ri * math.cos(a1), 8 + ri * math.sin(a1)), (8 + ri * math.cos(a0), 8 + ri * math.sin(a0))]
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts
        d = (f"M{x0:.3f} {y0:.3f}A{ro} {ro} 0 0 1 {x1:.3f} {y1:.3f}L{x2:.3f} {y2:.3f}"
             f"A{ri} {ri} 0 0 0 {x3:.3f} {y3:.3f}Z")
        paths.append((d, fill_segments(i)))
    return paths


def write_svg(path, body):
    with open(path, "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">\n')
        f.write(body)
        f.write("</svg>\n")


def app_svg():
    """The colour app icon, scalable."""
    hexc = lambda c: "#%02x%02x%02x" % c
    body = f'<circle cx="8" cy="8" r="7.5" fill="{hexc(OUTLINE)}"/>\n'
    body += '<circle cx="8" cy="8" r="3.8" fill="#000" fill-opacity="0"/>\n'
    for d, colour in svg_ring(lambda i: RED if i % 2 == 0 else WHITE):
        body += f'<path d="{d}" fill="{hexc(colour)}" stroke="{hexc(OUTLINE)}" stroke-width="0.3"/>\n'
    return body.replace(f'<circle cx="8" cy="8" r="7.5" fill="{hexc(OUTLINE)}"/>\n', "")


def symbolic_svg(badge=None):
    """Monochrome (#bebebe, GNOME's symbolic grey): the ring, solid and gapped segments,
    with a state mark cut into the lower right corner."""
    body = ""
    for d, solid in svg_ring(lambda i: i % 2 == 0):
        faint = "" if solid else ' fill-opacity="0.45"'
        body += f'<path d="{d}" fill="#bebebe"{faint}/>\n'
    marks = {
        "ok": '<path d="M10.2 12.6l1.6 1.6 3.2-3.4" fill="none" stroke="#bebebe" stroke-width="1.6"/>',
        "restarting": '<path d="M15 12.5a2.5 2.5 0 1 1-1-2" fill="none" stroke="#bebebe" stroke-width="1.4"/>',
        "gave-up": '<path d="M10.5 10.5l4 4M14.5 10.5l-4 4" stroke="#bebebe" stroke-width="1.6"/>',
        "paused": '<path d="M11 10v5M14 10v5" stroke="#bebebe" stroke-width="1.6"/>',
    }
    if badge:
        body += '<circle cx="12.5" cy="12.5" r="3.5" fill="#000" fill-opacity="0"/>\n' + marks[badge] + "\n"
    return body


def main():
    os.makedirs(OUT, exist_ok=True)
    app = buoy()
    for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 256)]:
        png(os.path.join(OUT, name), size, app)
    for state, colour in BADGES.items():
        png(os.path.join(OUT, f"tray-{state}.png"), 64, with_badge(buoy(paused=state == "paused"), colour))
    hicolor = os.path.join(OUT, "hicolor")
    for size in THEME_SIZES:
        apps = os.path.join(hicolor, f"{size}x{size}", "apps")
        os.makedirs(apps, exist_ok=True)
        png(os.path.join(apps, f"{APP_ID}.png"), size, app)
    scalable = os.path.join(hicolor, "scalable", "apps")
    symbolic = os.path.join(hicolor, "symbolic", "apps")
    os.makedirs(scalable, exist_ok=True)
    os.makedirs(symbolic, exist_ok=True)
    write_svg(os.path.join(scalable, f"{APP_ID}.svg"), app_svg())
    write_svg(os.path.join(symbolic, f"{APP_ID}-symbolic.svg"), symbolic_svg())
    for state in BADGES:
        write_svg(os.path.join(symbolic, f"{APP_ID}-{state}-symbolic.svg"), symbolic_svg(state))
    print("icons written to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
