#!/usr/bin/python3
"""The app's icons (static/icons/*.png, committed): the favicon's face, drawn with Pillow.

Run with Debian's interpreter from the repository root: /usr/bin/python3 scripts/make-icons.py
"""
from PIL import Image, ImageDraw

ACCENT = (91, 91, 214)
WHITE = (255, 255, 255)
SCALE = 4  # drawn large, then shrunk: smooth edges


def face(size: int, maskable: bool) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGB" if maskable else "RGBA", (big, big), ACCENT if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    # A maskable icon's safe zone is the central 80% circle: the face stays inside it.
    radius = big * (0.4 if maskable else 0.47)
    centre = big / 2
    if not maskable:
        draw.ellipse([centre - radius, centre - radius, centre + radius, centre + radius], fill=ACCENT)
    unit = radius / 15  # the favicon's 32-unit grid, centred
    for eye_x in (-5, 5):
        x, y = centre + eye_x * unit, centre - 3 * unit
        draw.ellipse([x - 2 * unit, y - 2 * unit, x + 2 * unit, y + 2 * unit], fill=WHITE)
    # The smile: the favicon's quadratic curve, as a thick arc.
    box = [centre - 6 * unit, centre - 2 * unit, centre + 6 * unit, centre + 8 * unit]
    draw.arc(box, start=20, end=160, fill=WHITE, width=max(1, round(2.5 * unit)))
    return image.resize((size, size), Image.LANCZOS)


if __name__ == "__main__":
    for size in (192, 512):
        face(size, maskable=False).save(f"static/icons/icon-{size}.png", optimize=True)
    face(512, maskable=True).save("static/icons/maskable-512.png", optimize=True)
    face(180, maskable=True).save("static/icons/apple-touch-icon.png", optimize=True)
    print("static/icons: icon-192.png, icon-512.png, maskable-512.png, apple-touch-icon.png")
