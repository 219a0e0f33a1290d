"""Batch augmentation on the CPU, vectorised over the batch (per-image Python loops are the
bottleneck at ~750 images/s). Input and output: float images N x 1 x 48 x 48 in 0..255."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F


@dataclass
class AugmentConfig:
    flip: float = 0.5  # probability of a horizontal flip
    rotate: float = 10.0  # degrees, uniform in +-rotate
    scale: float = 0.1  # zoom factor uniform in 1 +- scale
    shift: float = 0.1  # translation as a fraction of the side
    brightness: float = 20.0  # added grey levels, uniform in +-brightness
    contrast: float = 0.25  # contrast factor uniform in 1 +- contrast
    erase: float = 0.25  # probability of erasing one random rectangle
    erase_area: tuple[float, float] = (0.02, 0.15)
    blur: float = 0.0  # probability of a face resampled from fewer pixels (a small face, upscaled)
    blur_sides: tuple[int, ...] = (18, 24, 30, 36)  # the sides it is resampled from

    def scaled(self, strength: float) -> "AugmentConfig":
        """Every range times `strength` (flips stay: a mirrored face is as real as the original).
        An underfitting net learns more from gentler augmentation, e.g. in a last fine-tune."""
        return replace(self, rotate=self.rotate * strength, scale=self.scale * strength,
                       shift=self.shift * strength, brightness=self.brightness * strength,
                       contrast=self.contrast * strength, erase=self.erase * strength)


def random_affine(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    uniform = lambda lo, hi: torch.rand(n, generator=gen) * (hi - lo) + lo  # noqa: E731
    angle = uniform(-cfg.rotate, cfg.rotate) * math.pi / 180
    zoom = uniform(1 - cfg.scale, 1 + cfg.scale)
    flip = torch.where(torch.rand(n, generator=gen) < cfg.flip, -1.0, 1.0)
    tx, ty = uniform(-cfg.shift, cfg.shift) * 2, uniform(-cfg.shift, cfg.shift) * 2
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def photometric(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    contrast = (torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1) * cfg.contrast + 1
    bright = (torch.rand(n, 1, 1, 1, generator=gen) * 2 - 1) * cfg.brightness
    return ((x - mean) * contrast + mean + bright).clamp(0, 255)


def random_erase(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n, _, h, w = x.shape
    area = (torch.rand(n, generator=gen) * (cfg.erase_area[1] - cfg.erase_area[0]) + cfg.erase_area[0]) * h * w
    aspect = torch.exp((torch.rand(n, generator=gen) * 2 - 1) * math.log(3))
    eh = (area * aspect).sqrt().clamp(1, h).long()
    ew = (area / aspect).sqrt().clamp(1, w).long()
    top = (torch.rand(n, generator=gen) * (h - eh + 1)).long()
    left = (torch.rand(n, generator=gen) * (w - ew + 1)).long()
    rows = torch.arange(h).view(1, h, 1)
    cols = torch.arange(w).view(1, 1, w)
    inside = ((rows >= top.view(n, 1, 1)) & (rows < (top + eh).view(n, 1, 1))
              & (cols >= left.view(n, 1, 1)) & (cols < (left + ew).view(n, 1, 1)))
    chosen = (torch.rand(n, generator=gen) < cfg.erase).view(n, 1, 1)
    noise = torch.rand(x.shape, generator=gen) * 255
    return torch.where((inside & chosen).unsqueeze(1), noise, x)


def random_blur(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    """Some faces shrunk to a smaller side and scaled back up: the softness of a face the camera saw
    at 18-36 px, which the app's crop upsamples to 48 (training faces are all sharp 48-px crops)."""
    if cfg.blur <= 0:
        return x
    n, _, h, w = x.shape
    chosen = torch.rand(n, generator=gen) < cfg.blur
    side = torch.randint(len(cfg.blur_sides), (n,), generator=gen)
    out = x.clone()
    for i, s in enumerate(cfg.blur_sides):
        pick = chosen & (side == i)
        if pick.any():
            small = F.interpolate(x[pick], size=(s, s), mode="area")
            out[pick] = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
    return out


def augment(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    x = random_affine(x, cfg, gen)
    x = random_blur(x, cfg, gen)
    x = photometric(x, cfg, gen)
    return random_erase(x, cfg, gen)


def normalize(x: torch.Tensor) -> torch.Tensor:
    """Grey levels 0..255 to [-1, 1], as the app's preprocessing does (x / 127.5 - 1)."""
    return x / 127.5 - 1.0
