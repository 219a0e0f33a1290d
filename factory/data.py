"""Loading FER2013 as users have it: the Kaggle csv (plain or .gz), image folders, FER+ labels.

Bad rows are skipped and counted by kind, never silently: `LoadReport` says what was dropped.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from . import LABELS

SIDE = 48
PIXELS = SIDE * SIDE
SPLITS = ("Training", "PublicTest", "PrivateTest")
# FER+ columns in fer2013new.csv, mapped onto the FER2013 label order (contempt has no FER2013 class).
FERPLUS_TO_FER = {"anger": 0, "disgust": 1, "fear": 2, "happiness": 3, "sadness": 4, "surprise": 5, "neutral": 6}


@dataclass
class LoadReport:
    rows: int = 0
    kept: int = 0
    skipped: Counter = field(default_factory=Counter)

    def skip(self, kind: str) -> None:
        self.skipped[kind] += 1

    def summary(self) -> str:
        parts = [f"{self.kept} of {self.rows} rows kept"]
        parts += [f"{n} skipped: {kind}" for kind, n in sorted(self.skipped.items())]
        return "; ".join(parts)


@dataclass
class FaceSet:
    images: np.ndarray  # uint8, N x 48 x 48
    labels: np.ndarray  # int64, N
    splits: np.ndarray  # str, N (Training / PublicTest / PrivateTest)
    rows: np.ndarray  # int64, N: row index in the source (to join FER+ labels)
    report: LoadReport
    soft: np.ndarray | None = None  # float32, N x 7 (FER+ vote shares), when asked for

    def split(self, name: str) -> "FaceSet":
        keep = self.splits == name
        soft = self.soft[keep] if self.soft is not None else None
        return FaceSet(self.images[keep], self.labels[keep], self.splits[keep], self.rows[keep], self.report, soft)

    def __len__(self) -> int:
        return len(self.labels)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_csv(path: str) -> str | None:
    """The FER2013 csv inside a folder (or the path itself if it is a csv)."""
    if os.path.isfile(path):
        return path
    names = sorted(os.listdir(path))
    for name in names:
        if name.startswith("fer2013") and name.endswith((".csv", ".csv.gz")) and "new" not in name:
            return os.path.join(path, name)
    return None


# One absurdly long row must be skipped as malformed, not abort the load (the default limit is 128 KiB).
csv.field_size_limit(1 << 26)


def open_text(path: str) -> io.TextIOBase:
    """utf-8-sig accepts csvs saved with a byte-order mark; a stray non-UTF-8 byte becomes U+FFFD,
    which makes only its own row malformed."""
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", errors="replace", newline="")
    return open(path, encoding="utf-8-sig", errors="replace", newline="")


def parse_pixels(text: str) -> np.ndarray | None:
    parts = text.split()
    if len(parts) != PIXELS:
        return None
    try:
        values = np.array(parts, dtype=np.int64)
    except ValueError:
        return None
    if values.min() < 0 or values.max() > 255:
        return None
    return values.astype(np.uint8).reshape(SIDE, SIDE)


def load_csv(path: str) -> FaceSet:
    """Reads `emotion,pixels,Usage` rows; each malformed row is skipped and counted by kind."""
    try:
        return _load_csv(path)
    except (EOFError, gzip.BadGzipFile) as error:
        raise ValueError(f"{path}: the compressed file is damaged or cut off ({error})") from error


def _load_csv(path: str) -> FaceSet:
    report = LoadReport()
    images, labels, splits, rows = [], [], [], []
    with open_text(path) as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["emotion", "pixels", "Usage"]:
            raise ValueError(f"{path}: expected the header 'emotion,pixels,Usage', found {header!r}")
        for index, record in enumerate(reader):
            report.rows += 1
            if len(record) != 3:
                report.skip("wrong column count")
                continue
            emotion, pixels, usage = (value.strip() for value in record)
            if not emotion.isdigit() or int(emotion) >= len(LABELS):
                report.skip("unknown label")
                continue
            if usage not in SPLITS:
                report.skip("unknown Usage")
                continue
            image = parse_pixels(pixels)
            if image is None:
                kind = "wrong pixel count" if len(pixels.split()) != PIXELS else "non-numeric or out-of-range pixels"
                report.skip(kind)
                continue
            images.append(image)
            labels.append(int(emotion))
            splits.append(usage)
            rows.append(index)
            report.kept += 1
    return FaceSet(
        np.stack(images) if images else np.zeros((0, SIDE, SIDE), np.uint8),
        np.array(labels, dtype=np.int64),
        np.array(splits, dtype=object),
        np.array(rows, dtype=np.int64),
        report,
    )


def load_image_folder(root: str) -> FaceSet:
    """`<root>/<split>/<class>/*.png|jpg` (the Kaggle image-folder layout): split folders
    train/test are read as Training/PublicTest; class folders by FER2013 label name."""
    from PIL import Image  # only needed for this layout

    aliases = {"train": "Training", "training": "Training", "test": "PublicTest", "val": "PublicTest",
               "validation": "PublicTest", "publictest": "PublicTest", "privatetest": "PrivateTest"}
    class_names = {name: i for i, name in enumerate(LABELS)} | {"fearful": 2, "fear": 2, "surprised": 5}
    report = LoadReport()
    images, labels, splits = [], [], []
    for split_dir in sorted(os.listdir(root)):
        split = aliases.get(split_dir.lower())
        if split is None or not os.path.isdir(os.path.join(root, split_dir)):
            continue
        for class_dir in sorted(os.listdir(os.path.join(root, split_dir))):
            folder = os.path.join(root, split_dir, class_dir)
            if not os.path.isdir(folder):
                continue
            label = class_names.get(class_dir.lower())
            for name in sorted(os.listdir(folder)):
                report.rows += 1
                if label is None:
                    report.skip(f"unknown class folder '{class_dir}'")
                    continue
                try:
                    with Image.open(os.path.join(folder, name)) as img:
                        gray = img.convert("L").resize((SIDE, SIDE), Image.BILINEAR)
                        images.append(np.asarray(gray, dtype=np.uint8))
                except (OSError, ValueError):
                    report.skip("unreadable image")
                    continue
                labels.append(label)
                splits.append(split)
                report.kept += 1
    if not images:
        raise ValueError(f"{root}: no images found in <split>/<class>/ folders")
    return FaceSet(np.stack(images), np.array(labels, np.int64), np.array(splits, dtype=object),
                   np.arange(len(labels), dtype=np.int64), report)


def load_ferplus(path: str, faces: FaceSet, mode: str) -> FaceSet:
    """Replaces labels with FER+ votes: `majority` (hard label, rows without a FER2013-class
    majority dropped) or `soft` (vote shares kept in `soft`)."""
    votes = np.zeros((0, len(LABELS)), np.float32)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        table = []
        for record in reader:
            table.append([float(record.get(name) or 0) for name in FERPLUS_TO_FER])
        votes = np.array(table, np.float32)
    order = list(FERPLUS_TO_FER.values())
    mapped = np.zeros_like(votes)
    mapped[:, order] = votes
    picked = mapped[faces.rows]
    totals = picked.sum(1)
    keep = totals > 0
    if mode == "majority":
        top = picked.max(1, keepdims=True)
        unique_top = (picked == top).sum(1) == 1
        keep &= unique_top
        labels = picked.argmax(1)
        faces.report.skipped["FER+ has no single majority"] += int((~keep).sum())
        return FaceSet(faces.images[keep], labels[keep].astype(np.int64), faces.splits[keep], faces.rows[keep], faces.report)
    soft = picked[keep] / totals[keep, None]
    faces.report.skipped["FER+ has no votes"] += int((~keep).sum())
    return FaceSet(faces.images[keep], soft.argmax(1).astype(np.int64), faces.splits[keep], faces.rows[keep],
                   faces.report, soft.astype(np.float32))


def load(path: str, cache_dir: str | None = None) -> tuple[FaceSet, str]:
    """FER2013 from a csv, a folder holding one, or an image-folder tree. Returns the faces and
    the sha256 of the source file ('' for image folders). Parsed csvs are cached as .npz."""
    source = find_csv(path)
    if source is None:
        return load_image_folder(path), ""
    checksum = sha256_of(source)
    cached = os.path.join(cache_dir, f"fer-{checksum[:16]}.npz") if cache_dir else None
    if cached and os.path.exists(cached):
        blob = np.load(cached, allow_pickle=True)
        report = LoadReport(int(blob["rows_total"]), len(blob["labels"]), Counter(blob["skipped"].item()))
        return FaceSet(blob["images"], blob["labels"], blob["splits"], blob["rows"], report), checksum
    faces = load_csv(source)
    if cached:
        os.makedirs(cache_dir, exist_ok=True)
        tmp = f"{cached}.{os.getpid()}.tmp"  # then renamed: processes of one torchrun never read half a file
        with open(tmp, "wb") as handle:
            np.savez(handle, images=faces.images, labels=faces.labels, splits=faces.splits, rows=faces.rows,
                     rows_total=faces.report.rows, skipped=dict(faces.report.skipped))
        os.replace(tmp, cached)
    return faces, checksum
