"""Tiny synthetic FER-style data for tests: class k is horizontal stripes of frequency k + 1
plus noise, which flips and small rotations keep recognisable."""
from __future__ import annotations

import gzip
import os

import numpy as np


def faces(per_class: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    yy = np.mgrid[0:48, 0:48][0].astype(np.float32)
    images, labels = [], []
    for label in range(7):
        for _ in range(per_class):
            phase = rng.uniform(0, 2 * np.pi)
            stripes = 127 + 90 * np.sin(yy * (label + 1) * np.pi / 24 + phase)
            images.append(np.clip(stripes + rng.normal(0, 20, (48, 48)), 0, 255).astype(np.uint8))
            labels.append(label)
    return np.stack(images), np.array(labels)


def row(label, image: np.ndarray, usage: str) -> str:
    return f"{label},{' '.join(map(str, image.flatten()))},{usage}"


def write_csv(folder: str, train_per_class: int = 40, test_per_class: int = 10, extra_rows: list[str] = (),
              gz: bool = False) -> str:
    lines = ["emotion,pixels,Usage"]
    for usage, count, seed in (("Training", train_per_class, 1), ("PublicTest", test_per_class, 2)):
        if count == 0:
            continue
        images, labels = faces(count, seed)
        lines += [row(label, image, usage) for image, label in zip(images, labels)]
    lines += list(extra_rows)
    text = "\n".join(lines) + "\n"
    path = os.path.join(folder, "fer2013.csv.gz" if gz else "fer2013.csv")
    if gz:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        with open(path, "w") as handle:
            handle.write(text)
    return path


def read_json(path: str):
    """A JSON file's content, the file closed again (no ResourceWarning)."""
    import json

    with open(path) as handle:
        return json.load(handle)


def tiny_config(**changes):
    """A training config small enough for the synthetic faces: a few epochs, small batches."""
    from factory.train import TrainConfig  # torch is only needed by the tests that train

    return TrainConfig(**({"epochs": 6, "batch": 16, "lr": 3e-3, "warmup": 1} | changes))
