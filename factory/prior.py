"""Prior attention (seed 003, Terner et al., "Facial Expression Recognition Using Prior
Attention"): most of an expression's clues are in two regions, the eyes with the brows and the
mouth, so the face is split by a fixed prior into an upper and a lower block, each read by its
own small branch beside a branch on the whole face; the three are fused before the classifier.

Where the blocks are cut: the seed cuts them in preprocessing with a landmark detector. Here
they are cut INSIDE the model (PyTorch slicing; a Cropping2D layer in the exported TF.js model)
from the aligned 48x48 face, at fixed rows and columns. The app already hands every model that
aligned crop (the face rotated so the eyes are level and framed like FER2013's faces), and the
training faces are FER2013's own crops, so the prior holds in both, and the blocks the app's
model sees are cut exactly as they were in training: the same rows and columns of the same
normalised 48x48 input. No landmark model is needed at run time, nor a second model input. FER2013's mean face puts the brows near row 12, the eyes near row 17 and the mouth near
row 37, hence (rows [start, end), columns [start, end)):
- eyes and brows: rows 8..28, all 48 columns (20 x 48);
- mouth: rows 28..46, columns 8..40 (18 x 32).
Training augmentation (small shifts, rotations, zoom, flips) moves the face inside the 48x48
crop, and so teaches the branches to tolerate the same small misplacements the app's aligner
leaves; a horizontal flip maps each block onto itself (both are centred).
"""
from __future__ import annotations

import torch
from torch import nn

from .layers import MaxPool2d
from .models import ConvBnRelu

SIDE = 48
EYES = ((8, 28), (0, 48))  # rows [8, 28), columns [0, 48)
MOUTH = ((28, 46), (8, 40))  # rows [28, 46), columns [8, 40)


def scaled(channels: int, width: float) -> int:
    return max(1, round(channels * width))


class Branch(nn.Module):
    """3x3 conv (batch norm, ReLU) per stage, a 2x2 max pooling between stages, global pooling."""

    def __init__(self, name: str, widths: list[int]):
        super().__init__()
        self.name = name
        self.convs = nn.ModuleList()
        cin = 1
        for i, cout in enumerate(widths, start=1):
            self.convs.append(ConvBnRelu(f"{name}_conv{i}", cin, cout, 3, padding="same"))
            cin = cout
        self.pool = MaxPool2d(2, 2)
        self.channels = cin

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, conv in enumerate(self.convs):
            if i > 0:
                x = self.pool(x)
            x = conv(x)
        return x.mean(dim=(2, 3))

    def to_keras(self, g, x):
        for i, conv in enumerate(self.convs, start=1):
            if i > 1:
                x = g.max_pool(x, f"{self.name}_pool{i - 1}", self.pool)
            x = conv.to_keras(g, x)
        return g.global_average_pool(x, f"{self.name}_pool_global")


def crop(x: torch.Tensor, block) -> torch.Tensor:
    (top, bottom), (left, right) = block
    return x[:, :, top:bottom, left:right]


class PriorAttention(nn.Module):
    """~150k parameters and ~12M multiply-adds per face at width 1: the whole face through four
    stages (16-128 channels, 48 -> 6 pixels), the eyes block and the mouth block through three
    stages each (16-64 channels); the three pooled vectors concatenated, then one Linear."""

    def __init__(self, classes: int = 7, width: float = 1.0, dropout: float = 0.0):
        super().__init__()
        self.face = Branch("face", [scaled(c, width) for c in (16, 32, 64, 128)])
        self.eyes = Branch("eyes", [scaled(c, width) for c in (16, 32, 64)])
        self.mouth = Branch("mouth", [scaled(c, width) for c in (16, 32, 64)])
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(self.face.channels + self.eyes.channels + self.mouth.channels, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        fused = torch.cat([self.face(x), self.eyes(crop(x, EYES)), self.mouth(crop(x, MOUTH))], 1)
        return self.classifier(self.dropout(fused))

    def to_keras(self, g, x):
        blocks = []
        for name, block in (("eyes", EYES), ("mouth", MOUTH)):
            (top, bottom), (left, right) = block
            blocks.append(g.cropping(x, f"{name}_crop", (top, SIDE - bottom), (left, SIDE - right)))
        fused = g.concatenate([self.face.to_keras(g, x), self.eyes.to_keras(g, blocks[0]),
                               self.mouth.to_keras(g, blocks[1])], "fusion")
        return g.dense(fused, "predictions", self.classifier, activation="softmax")
