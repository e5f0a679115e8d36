"""Product photos for the demo, drawn with Pillow: a ring looks like a ring.

Each drawing is a soft studio backdrop with the piece in its metal's colour and,
where it has one, its stone. Deterministic for a given seed.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = 640

METAL_COLOURS = {
    "yellow": (212, 175, 55),
    "rose": (196, 128, 118),
    "white": (226, 226, 222),
    "silver": (196, 198, 204),
    "platinum": (214, 216, 220),
}
STONE_COLOURS = {
    "diamond": (236, 246, 255),
    "ruby": (190, 22, 52),
    "sapphire": (24, 62, 170),
    "emerald": (20, 138, 84),
    "pearl": (246, 240, 226),
}


def _shade(colour, factor):
    return tuple(max(0, min(255, int(c * factor))) for c in colour)


def _backdrop(rng):
    top = (250, 247, 241)
    bottom = _shade((236, 228, 214), rng.uniform(0.96, 1.02))
    image = Image.new("RGB", (SIZE, SIZE), top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        t = y / SIZE
        draw.line(
            [(0, y), (SIZE, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    return image


def _shadow(image, box):
    shadow = Image.new("L", image.size, 0)
    ImageDraw.Draw(shadow).ellipse(box, fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(18))
    image.paste((120, 105, 90), mask=shadow)


def _gem(draw, centre, radius, colour):
    x, y = centre
    draw.regular_polygon((x, y, radius), 8, fill=colour, outline=_shade(colour, 0.6))
    draw.polygon(
        [(x - radius * 0.5, y - radius * 0.2), (x, y - radius * 0.7),
         (x + radius * 0.5, y - radius * 0.2)],
        fill=_shade(colour, 1.15),
    )  # fmt: skip
    draw.ellipse(
        (x - radius * 0.45, y - radius * 0.55, x - radius * 0.15, y - radius * 0.25),
        fill=(255, 255, 255),
    )


def _ring(draw, metal, stone):
    c = SIZE // 2
    draw.ellipse(
        (c - 170, c - 110, c + 170, c + 200), outline=_shade(metal, 0.7), width=46
    )
    draw.ellipse((c - 166, c - 106, c + 166, c + 196), outline=metal, width=34)
    draw.arc(
        (c - 150, c - 95, c + 150, c + 180), 200, 340, fill=_shade(metal, 1.25), width=6
    )
    if stone:
        draw.polygon(
            [(c - 42, c - 96), (c + 42, c - 96), (c, c - 40)], fill=_shade(metal, 0.8)
        )
        _gem(draw, (c, c - 130), 52, stone)


def _necklace(draw, metal, stone):
    c = SIZE // 2
    points = [
        (c + 230 * math.cos(a), 120 + 300 * math.sin(a))
        for a in [math.pi * (0.05 + 0.9 * i / 40) for i in range(41)]
    ]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        draw.ellipse((x0 - 9, y0 - 6, x0 + 9, y0 + 6), outline=metal, width=4)
        draw.line((x0, y0, x1, y1), fill=_shade(metal, 0.8), width=2)
    x, y = points[20]
    draw.line((x, y, x, y + 40), fill=metal, width=5)
    if stone:
        _gem(draw, (x, y + 78), 40, stone)
    else:
        draw.polygon([(x - 34, y + 40), (x + 34, y + 40), (x, y + 120)], fill=metal,
                     outline=_shade(metal, 0.6))  # fmt: skip


def _earrings(draw, metal, stone):
    for cx in (SIZE // 2 - 120, SIZE // 2 + 120):
        draw.arc((cx - 40, 150, cx + 40, 230), 180, 360, fill=metal, width=8)
        draw.line((cx + 40, 190, cx + 40, 260), fill=metal, width=8)
        if stone:
            _gem(draw, (cx + 40, 320), 46, stone)
        else:
            draw.ellipse((cx - 10, 260, cx + 90, 360), outline=metal, width=14)


def _bangle(draw, metal, stone):
    c = SIZE // 2
    draw.ellipse(
        (c - 210, c - 150, c + 210, c + 170), outline=_shade(metal, 0.65), width=40
    )
    draw.ellipse((c - 205, c - 145, c + 205, c + 165), outline=metal, width=28)
    if stone:
        for angle in range(200, 345, 24):
            a = math.radians(angle)
            _gem(draw, (c + 205 * math.cos(a), c + 10 + 155 * math.sin(a)), 14, stone)


def _chain(draw, metal, stone):
    for row in range(3):
        y = 200 + row * 110
        for i in range(12):
            x = 70 + i * 45
            box = (
                (x, y - 22, x + 60, y + 22)
                if i % 2
                else (x + 8, y - 14, x + 52, y + 14)
            )
            draw.ellipse(box, outline=metal, width=9)


DRAWINGS = {
    "rings": _ring,
    "necklaces": _necklace,
    "pendants": _necklace,
    "earrings": _earrings,
    "bangles": _bangle,
    "bracelets": _bangle,
    "chains": _chain,
}


def draw_piece(kind: str, metal_colour: str, stone: str | None, seed: int) -> bytes:
    """A PNG of a piece of `kind` (a category slug) in the given colours."""
    rng = random.Random(seed)
    image = _backdrop(rng)
    _shadow(image, (130, 470, 510, 560))
    draw = ImageDraw.Draw(image)
    metal = METAL_COLOURS.get(metal_colour, METAL_COLOURS["yellow"])
    DRAWINGS.get(kind, _ring)(draw, metal, STONE_COLOURS.get(stone) if stone else None)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def draw_banner(kind: str, metal_colour: str, stone: str | None, seed: int) -> bytes:
    """A wide (16:9) PNG for a home page's hero: a piece on a long studio table."""
    rng = random.Random(seed)
    wide = Image.new("RGB", (SIZE * 25 // 10, SIZE * 25 // 18), (246, 241, 233))
    draw = ImageDraw.Draw(wide)
    width, height = wide.size
    for y in range(height):
        shade = 1 - 0.18 * (y / height)
        draw.line([(0, y), (width, y)], fill=_shade((246, 240, 230), shade))
    piece = Image.open(io.BytesIO(draw_piece(kind, metal_colour, stone, seed)))
    piece = piece.resize((height, height))
    wide.paste(piece, (width - height - rng.randint(40, 120), 0))
    wide = wide.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    wide.save(buffer, format="PNG")
    return buffer.getvalue()
