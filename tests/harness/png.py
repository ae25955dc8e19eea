# Copyright: (c) 2026, instancebench.aws contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Just enough PNG reading to look at a browser screenshot: 8-bit RGB/RGBA, not interlaced."""

import struct
import zlib


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """(width, height, rows): rows is a list of bytearrays of RGB(A) samples."""
    with open(path, 'rb') as handle:
        data = handle.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('%s is not a PNG' % path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat.append(body)
        pos += 12 + length
    width, height, depth, color, _comp, _filter, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError('unsupported PNG (depth %d, color type %d, interlace %d)' % (depth, color, interlace))
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b''.join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                line[x] = (line[x] + _paeth(left, up, corner)) & 0xFF
        rows.append(line)
        previous = line
    return width, height, [(row, channels) for row in rows]


def runs_of_color(path, rgb, tolerance=8):
    """Horizontal runs of `rgb` per screen row: [(y, x_start, length)]."""
    width, _height, rows = read_png(path)
    found = []
    for y, (row, channels) in enumerate(rows):
        x = 0
        while x < width:
            pixel = row[x * channels:x * channels + 3]
            if all(abs(pixel[i] - rgb[i]) <= tolerance for i in range(3)):
                start = x
                while x < width and all(abs(row[x * channels + i] - rgb[i]) <= tolerance for i in range(3)):
                    x += 1
                found.append((y, start, x - start))
            else:
                x += 1
    return found


def bars(path, rgb):
    """Solid bars of `rgb`: consecutive rows with a run at the same x start, as (x, width, height)."""
    runs = [r for r in runs_of_color(path, rgb) if r[2] > 3]
    out, current = [], None
    for y, start, length in runs:
        if current and y == current['y_end'] + 1 and start == current['x'] and length == current['w']:
            current['y_end'] = y
            continue
        current = {'x': start, 'w': length, 'y_start': y, 'y_end': y}
        out.append(current)
    return [(b['x'], b['w'], b['y_end'] - b['y_start'] + 1) for b in out if b['y_end'] > b['y_start']]


def pixels_of(image, rgb):
    """[(x, y)] of the pixels of exactly `rgb` in a read_png image: flat SVG fills, and the middle of
    strokes 2 px wide, render exact (found with bytes.find: a tall page is millions of pixels)."""
    _width, _height, rows = image
    wanted, found = bytes(rgb), []
    for y, (row, channels) in enumerate(rows):
        data = bytes(row)
        at = data.find(wanted)
        while at >= 0:
            if at % channels == 0:
                found.append((at // channels, y))
            at = data.find(wanted, at + 1)
    return found


def blobs(points):
    """Bounding boxes (x0, y0, x1, y1), inclusive, of the 8-connected groups of points, top to bottom."""
    remaining = set(points)
    boxes = []
    while remaining:
        stack = [remaining.pop()]
        x0, y0 = x1, y1 = stack[0]
        while stack:
            x, y = stack.pop()
            x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    near = (x + dx, y + dy)
                    if near in remaining:
                        remaining.discard(near)
                        stack.append(near)
        boxes.append((x0, y0, x1, y1))
    return sorted(boxes, key=lambda box: (box[1], box[0]))
