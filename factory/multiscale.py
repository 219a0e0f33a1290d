"""Multi-scale model families of seed 000 (issue #23).

- MSFF-CNN (`msff-cnn`): a plain conv/pool CNN; after every pooling a 3x3 branch and a dilated
  3x3 branch (a 5x5 field) look at the pooled map side by side, their outputs are concatenated
  and mixed by a 1x1 conv. The globally pooled output of every stage is fused before the
  classifier, so features of all scales reach it.
- The seed's novel model (`drf-msam`): Dynamic Receptive Field layers (selective-kernel style,
  after Li et al. 2019 "Selective Kernel Networks": a 3x3 and a dilated 3x3 branch whose mix,
  channel by channel, is a softmax over the branches computed from the globally pooled features,
  so the receptive field follows the input) and a Multi-Scale Attention Module after each (a
  spatial gate scored from a squeezed map seen at three scales: itself and its 3x3 and 5x5 local
  means).

Only layers a TF.js LayersModel has: the DRF's softmax over branches is a Dense layer reshaped to
(1, C, 2) (TF.js's softmax runs along the last axis only), permuted to (2, 1, C) and cut into one
(1, 1, C) weight per branch by Cropping2D; Multiply broadcasts it over the map, as AER-CNN's
spatial gate (attention.py) broadcasts its (H, W, 1) map over the channels.
Every `forward` has a `to_keras` twin with the same layer names (see models.py).
"""
from __future__ import annotations

import torch
from torch import nn

from .layers import AvgPool2d, Conv2d, MaxPool2d
from .models import ConvBnRelu


def scaled(channels: int, width: float) -> int:
    return max(1, round(channels * width))


class MsffStage(nn.Module):
    """Pool, then two branches on the pooled map (3x3, and 3x3 dilated by 2: a 5x5 field at the
    cost of a 3x3), concatenated and mixed by a 1x1 conv."""

    def __init__(self, name: str, cin: int, cout: int):
        super().__init__()
        self.name = name
        self.pool = MaxPool2d(2, 2)
        wide = cout // 2
        self.local = ConvBnRelu(f"{name}_local", cin, cout - wide, 3, padding="same")
        self.wide = ConvBnRelu(f"{name}_wide", cin, wide, 3, padding="same", dilation=2)
        self.mix = ConvBnRelu(f"{name}_mix", cout, cout, 1, padding="same")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(x)
        return self.mix(torch.cat([self.local(x), self.wide(x)], 1))

    def to_keras(self, g, x):
        x = g.max_pool(x, f"{self.name}_pool", self.pool)
        fused = g.concatenate([self.local.to_keras(g, x), self.wide.to_keras(g, x)], f"{self.name}_fuse")
        return self.mix.to_keras(g, fused)


class MsffCnn(nn.Module):
    """~100k parameters and ~10M multiply-adds per face at width 1: a 3x3 stem at 48x48, three
    multi-scale stages at 24, 12 and 6 pixels, the stages' pooled features fused."""

    def __init__(self, classes: int = 7, width: float = 1.0, dropout: float = 0.0):
        super().__init__()
        stem = scaled(16, width)
        widths = [scaled(c, width) for c in (32, 64, 128)]
        self.stem = ConvBnRelu("stem", 1, stem, 3, padding="same")
        self.stages = nn.ModuleList()
        cin = stem
        for i, cout in enumerate(widths, start=1):
            self.stages.append(MsffStage(f"stage{i}", cin, cout))
            cin = cout
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(sum(widths), classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        pooled = []
        for stage in self.stages:
            x = stage(x)
            pooled.append(x.mean(dim=(2, 3)))
        return self.classifier(self.dropout(torch.cat(pooled, 1)))

    def to_keras(self, g, x):
        x = self.stem.to_keras(g, x)
        pooled = []
        for i, stage in enumerate(self.stages, start=1):
            x = stage.to_keras(g, x)
            pooled.append(g.global_average_pool(x, f"stage{i}_pool_global"))
        return g.dense(g.concatenate(pooled, "fusion"), "predictions", self.classifier, activation="softmax")


class DynamicReceptiveField(nn.Module):
    """A 3x3 and a dilated 3x3 (5x5 field) branch; a softmax over the two, per channel, computed
    from the globally pooled sum of both, weighs them: the layer picks its receptive field per
    face. `select`'s output j is channel j // 2, branch j % 2 (near 0, far 1)."""

    def __init__(self, name: str, cin: int, cout: int, reduction: int = 4):
        super().__init__()
        self.name, self.channels = name, cout
        self.near = ConvBnRelu(f"{name}_near", cin, cout, 3, padding="same")
        self.far = ConvBnRelu(f"{name}_far", cin, cout, 3, padding="same", dilation=2)
        hidden = max(cout // reduction, 8)
        self.squeeze = nn.Linear(cout, hidden)
        self.select = nn.Linear(hidden, 2 * cout)

    def branch_weights(self, near: torch.Tensor, far: torch.Tensor) -> torch.Tensor:
        """N x C x 2: each channel's softmax weights of the near and far branches."""
        z = torch.relu(self.squeeze((near + far).mean(dim=(2, 3))))
        return self.select(z).view(-1, self.channels, 2).softmax(-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        near, far = self.near(x), self.far(x)
        w = self.branch_weights(near, far)
        return near * w[:, :, 0, None, None] + far * w[:, :, 1, None, None]

    def to_keras(self, g, x):
        n = self.name
        near, far = self.near.to_keras(g, x), self.far.to_keras(g, x)
        pooled = g.global_average_pool(g.add([near, far], f"{n}_sum"), f"{n}_sum_pool")
        z = g.dense(pooled, f"{n}_squeeze", self.squeeze, activation="relu")
        logits = g.reshape(g.dense(z, f"{n}_select", self.select), f"{n}_select_reshape", (1, self.channels, 2))
        weights = g.softmax_last_axis(logits, f"{n}_softmax")  # (1, C, 2)
        by_branch = g.permute(weights, f"{n}_by_branch", (3, 1, 2))  # (2, 1, C)
        w_near = g.cropping(by_branch, f"{n}_near_weight", (0, 1), (0, 0))  # (1, 1, C)
        w_far = g.cropping(by_branch, f"{n}_far_weight", (1, 0), (0, 0))
        return g.add([g.multiply([near, w_near], f"{n}_near_gate"), g.multiply([far, w_far], f"{n}_far_gate")],
                     f"{n}_fuse")


class MultiScaleAttention(nn.Module):
    """A 1x1 conv squeezes the map to a few channels; that map, its 3x3 and its 5x5 local means
    (stride-1 average pooling, padding not counted) are concatenated and a 1x1 conv scores every
    position; the sigmoid of the score gates all channels there."""

    def __init__(self, name: str, channels: int, scales: tuple[int, ...] = (3, 5)):
        super().__init__()
        self.name = name
        reduced = max(channels // 8, 4)
        self.squeeze = ConvBnRelu(f"{name}_squeeze", channels, reduced, 1, padding="same")
        self.pools = nn.ModuleList(AvgPool2d(k) for k in scales)
        self.score = Conv2d(reduced * (1 + len(scales)), 1, 1, bias=True)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        s = self.squeeze(x)
        attention = torch.sigmoid(self.score(torch.cat([s] + [pool(s) for pool in self.pools], 1)))
        return x * attention, attention

    def to_keras(self, g, x):
        n = self.name
        s = self.squeeze.to_keras(g, x)
        scales = [s] + [g.average_pool(s, f"{n}_mean{pool.kernel}", pool) for pool in self.pools]
        score = g.conv2d(g.concatenate(scales, f"{n}_scales"), f"{n}_score", self.score)
        attention = g.activation(score, f"{n}_map", "sigmoid")
        return g.multiply([x, attention], f"{n}_gate"), attention


class DrfMsam(nn.Module):
    """~220k parameters and ~17M multiply-adds per face at width 1: a 3x3 stem at 48x48, pooled
    to 24; three stages (DRF, MSAM, pool) at 24, 12 and 6 pixels; the attended maps of every
    stage globally pooled and fused before the classifier."""

    def __init__(self, classes: int = 7, width: float = 1.0, dropout: float = 0.0):
        super().__init__()
        stem = scaled(16, width)
        widths = [scaled(c, width) for c in (32, 64, 128)]
        self.stem = ConvBnRelu("stem", 1, stem, 3, padding="same")
        self.stem_pool = MaxPool2d(2, 2)
        self.drf = nn.ModuleList()
        self.msam = nn.ModuleList()
        cin = stem
        for i, cout in enumerate(widths, start=1):
            self.drf.append(DynamicReceptiveField(f"drf{i}", cin, cout))
            # Named like AER-CNN's gates (`attention<k>_map`): the app's "Where it looks"
            # (src/lib/explain.ts) shows any such sigmoid maps, so it shows these too.
            self.msam.append(MultiScaleAttention(f"attention{i}", cout))
            cin = cout
        self.pool = MaxPool2d(2, 2)  # between stages (no weights: one module serves both)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(sum(widths), classes)

    def forward_with_maps(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        x = self.stem_pool(self.stem(x))
        pooled, maps = [], []
        for i, (drf, msam) in enumerate(zip(self.drf, self.msam)):
            if i > 0:
                x = self.pool(x)
            x, attention = msam(drf(x))
            maps.append(attention)
            pooled.append(x.mean(dim=(2, 3)))
        return self.classifier(self.dropout(torch.cat(pooled, 1))), maps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_maps(x)[0]

    def to_keras(self, g, x):
        x = g.max_pool(self.stem.to_keras(g, x), "stem_pool", self.stem_pool)
        pooled = []
        for i, (drf, msam) in enumerate(zip(self.drf, self.msam), start=1):
            if i > 1:
                x = g.max_pool(x, f"stage{i}_pool", self.pool)
            x, _ = msam.to_keras(g, drf.to_keras(g, x))
            pooled.append(g.global_average_pool(x, f"stage{i}_pool_global"))
        return g.dense(g.concatenate(pooled, "fusion"), "predictions", self.classifier, activation="softmax")
