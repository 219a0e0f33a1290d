#!/usr/bin/python3
"""Builds the benchmark frames: the same pictures go through every pipeline.

Run with /usr/bin/python3 (it has numpy, PIL and skimage):
    /usr/bin/python3 bench/frames/make-frames.py OUTPUT_DIR [FACE_API_DEMO_DIR]

Deterministic; nothing here is committed (bench/speed.mjs regenerates the frames when this file changes).
  1-face.png    640x480, the public-domain NASA astronaut portrait framed like a webcam selfie
  3-faces.png   960x720, @vladmandic/face-api's demo/sample3.jpg (three people) cropped around the faces, when the
                package is installed; otherwise three astronaut heads
  10-faces.png  1024x768, ten astronaut heads (rows of 4, 3, 3), each mirrored / relit / turned a little differently
  frames.json   what each frame holds
"""

import json
import sys
from pathlib import Path

from PIL import Image, ImageEnhance
from skimage import data

# The astronaut (512 x 512): head-and-shoulders window for the selfie, square head crop for the groups.
SELFIE_WINDOW = (96, 8, 320, 240)  # x, y, width, height (scaled 2x to 640 x 480, as the e2e webcam clip)
HEAD_CROP = (150, 45, 150, 150)
TILE = 256
BACKGROUND = (196, 198, 204)
SAMPLE3_CROP = (440, 100, 1800, 1120)  # x0, y0, x1, y1 in the 1920 x 1350 photo
# Per-head variations: (mirror, brightness, contrast, rotation in degrees, scale).
VARIATIONS = [
    (False, 1.00, 1.00, 0, 1.00),
    (True, 0.85, 1.10, 6, 0.95),
    (False, 1.15, 0.90, -5, 0.90),
    (True, 1.00, 1.20, 3, 1.00),
    (False, 0.75, 1.00, -8, 0.95),
    (True, 1.10, 0.85, 0, 0.90),
    (False, 0.95, 1.15, 8, 1.00),
    (True, 0.80, 0.95, -3, 0.95),
    (False, 1.05, 1.05, 4, 0.92),
    (True, 0.90, 1.10, -6, 1.00),
]


def astronaut() -> Image.Image:
    return Image.fromarray(data.astronaut())


def selfie(source: Image.Image) -> Image.Image:
    x, y, w, h = SELFIE_WINDOW
    return source.resize((640, 480), Image.Resampling.BILINEAR, box=(x, y, x + w, y + h))


def head_tile(source: Image.Image, variation: tuple) -> Image.Image:
    mirror, brightness, contrast, degrees, scale = variation
    x, y, w, h = HEAD_CROP
    # Crop a larger square first so that turning the head does not bring in black corners.
    pad = w // 2
    big = source.crop((x - pad, y - pad, x + w + pad, y + h + pad))
    if mirror:
        big = big.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    big = big.rotate(degrees, resample=Image.Resampling.BICUBIC)
    side = w / scale
    centre = big.width / 2
    box = (centre - side / 2, centre - side / 2, centre + side / 2, centre + side / 2)
    tile = big.resize((TILE, TILE), Image.Resampling.LANCZOS, box=box)
    tile = ImageEnhance.Brightness(tile).enhance(brightness)
    return ImageEnhance.Contrast(tile).enhance(contrast)


def heads(source: Image.Image, rows: list[int]) -> Image.Image:
    """rows[i] heads on row i, each row centred: a 4:3 picture keeps the faces large enough for
    every detector (BlazeFace short-range misses faces under ~15% of the picture's longer side)."""
    columns = max(rows)
    picture = Image.new('RGB', (columns * TILE, len(rows) * TILE), BACKGROUND)
    index = 0
    for row, count in enumerate(rows):
        left = (columns - count) * TILE // 2
        for column in range(count):
            tile = head_tile(source, VARIATIONS[index % len(VARIATIONS)])
            picture.paste(tile, (left + column * TILE, row * TILE))
            index += 1
    return picture


def three_people(source: Image.Image, demo: Path | None) -> tuple[Image.Image, str]:
    sample = demo / 'sample3.jpg' if demo else None
    if sample and sample.exists():
        # The people, not the room: cropped to 4:3 around the three faces.
        photo = Image.open(sample).convert('RGB').crop(SAMPLE3_CROP)
        return photo.resize((960, 720), Image.Resampling.LANCZOS), '@vladmandic/face-api demo/sample3.jpg, cropped'
    return heads(source, [3]), 'three astronaut heads (face-api demo images not installed)'


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit('usage: make-frames.py OUTPUT_DIR [FACE_API_DEMO_DIR]')
    out = Path(sys.argv[1])
    demo = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    out.mkdir(parents=True, exist_ok=True)
    source = astronaut()
    three, three_source = three_people(source, demo)
    frames = [
        ('1-face.png', selfie(source), 1, 'skimage astronaut (NASA, public domain), webcam framing'),
        ('3-faces.png', three, 3, three_source),
        ('10-faces.png', heads(source, [4, 3, 3]), 10, 'skimage astronaut, ten varied heads'),
    ]
    manifest = []
    for name, picture, faces, origin in frames:
        picture.save(out / name, optimize=True)
        manifest.append({'file': name, 'faces': faces, 'width': picture.width, 'height': picture.height, 'source': origin})
    (out / 'frames.json').write_text(json.dumps(manifest, indent=2) + '\n')
    print(f'frames written to {out}')


if __name__ == '__main__':
    main()
