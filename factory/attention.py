"""Attention model families (issue: "train the seed attention architectures").

- AER-CNN (seed 000): spatial attention maps on the feature maps at several depths; each attended
  map is pooled and the pooled vectors are fused before the classifier.
- Deep-Emotion (Minaee et al. 2021, seed 004): a spatial-transformer localization network and a
  feature-extraction CNN. `deep-emotion` runs them in parallel on the input, the localization
  net's affine transform resampling the feature maps (the paper's figure, and the seed's fix);
  `deep-emotion-seq` is the public re-implementation's order (warp the input, then extract).
Every `forward` has a `to_keras` twin with the same layer names (see models.py).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .layers import Conv2d, MaxPool2d
from .models import ConvBnRelu, XceptionBlock


class SpatialAttention(nn.Module):
    """A 1x1 conv scores every position; the sigmoid of that score gates the features."""

    def __init__(self, name: str, channels: int):
        super().__init__()
        self.name = name
        self.score = Conv2d(channels, 1, 1, bias=True)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        attention = torch.sigmoid(self.score(x))
        return x * attention, attention

    def to_keras(self, g, x):
        attention = g.activation(g.conv2d(x, f"{self.name}_score", self.score), f"{self.name}_map", "sigmoid")
        return g.multiply([x, attention], f"{self.name}_gate"), attention


class AerCnn(nn.Module):
    """Mini-Xception blocks (wider), an attention gate after blocks 1-3, and a fusion of the
    globally pooled attended maps of every depth."""

    def __init__(self, classes: int = 7, width: float = 2.0, dropout: float = 0.2, stem: int | None = None):
        super().__init__()
        stem = stem or round(8 * width)
        widths = [round(c * width) for c in (16, 32, 64, 128)]
        self.conv1 = ConvBnRelu("conv1", 1, stem)
        self.conv2 = ConvBnRelu("conv2", stem, stem)
        self.blocks = nn.ModuleList()
        self.attention = nn.ModuleList()
        cin = stem
        for i, cout in enumerate(widths, start=1):
            self.blocks.append(XceptionBlock(f"block{i}", cin, cout))
            if i < len(widths):
                self.attention.append(SpatialAttention(f"attention{i}", cout))
            cin = cout
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(sum(widths), classes)

    def forward_with_maps(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        x = self.conv2(self.conv1(x))
        pooled, maps = [], []
        for i, block in enumerate(self.blocks):
            x = block(x)
            if i < len(self.attention):
                x, attention = self.attention[i](x)
                maps.append(attention)
            pooled.append(x.mean(dim=(2, 3)))
        return self.classifier(self.dropout(torch.cat(pooled, 1))), maps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_maps(x)[0]

    def to_keras(self, g, x):
        x = self.conv2.to_keras(g, self.conv1.to_keras(g, x))
        pooled = []
        for i, block in enumerate(self.blocks):
            x = block.to_keras(g, x)
            if i < len(self.attention):
                x, _ = self.attention[i].to_keras(g, x)
            pooled.append(g.global_average_pool(x, f"block{i + 1}_pool_global"))
        fused = g.concatenate(pooled, "fusion")
        return g.dense(fused, "predictions", self.classifier, activation="softmax")


def affine_sample(x: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
    """The spatial transformer's sampler: bilinear, zeros outside, align_corners=False. The
    TF.js layer `SpatialTransformer` (src/lib/layers) reproduces exactly this."""
    grid = F.affine_grid(theta.view(-1, 2, 3), list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


class Localization(nn.Module):
    """Two conv + max-pool + ReLU stages and two fully connected layers -> 6 affine parameters,
    initialised to the identity transform."""

    def __init__(self):
        super().__init__()
        self.conv1 = Conv2d(1, 8, 7, padding="valid", bias=True)
        self.pool1 = MaxPool2d(2, 2, padding="valid")
        self.conv2 = Conv2d(8, 10, 5, padding="valid", bias=True)
        self.pool2 = MaxPool2d(2, 2, padding="valid")
        self.fc1 = nn.Linear(10 * 8 * 8, 32)
        self.fc2 = nn.Linear(32, 6)
        nn.init.zeros_(self.fc2.weight)
        with torch.no_grad():
            self.fc2.bias.copy_(torch.tensor([1.0, 0, 0, 0, 1.0, 0]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.pool1(self.conv1(x)))
        x = torch.relu(self.pool2(self.conv2(x)))
        return self.fc2(torch.relu(self.fc1(x.flatten(1))))

    def to_keras(self, g, x):
        x = g.relu(g.max_pool(g.conv2d(x, "loc_conv1", self.conv1), "loc_pool1", self.pool1), "loc_relu1")
        x = g.relu(g.max_pool(g.conv2d(x, "loc_conv2", self.conv2), "loc_pool2", self.pool2), "loc_relu2")
        x = g.flatten(x, "loc_flatten")
        x = g.dense(x, "loc_fc1", self.fc1, activation="relu", flattened_from=(10, 8, 8))
        return g.dense(x, "loc_fc2", self.fc2)


class DeepEmotion(nn.Module):
    """Deep-Emotion with the seed's improvements (a fifth conv, dropout, two FC layers)."""

    def __init__(self, classes: int = 7, width: float = 1.0, dropout: float = 0.5, sequential: bool = False):
        super().__init__()
        c = round(10 * width)
        self.sequential = sequential
        self.localization = Localization()
        self.conv1 = Conv2d(1, c, 3, padding="valid", bias=True)
        self.conv2 = Conv2d(c, c, 3, padding="valid", bias=True)
        self.pool2 = MaxPool2d(2, 2, padding="valid")
        self.conv3 = Conv2d(c, c, 3, padding="valid", bias=True)
        self.conv4 = Conv2d(c, c, 3, padding="valid", bias=True)
        self.conv4_bn = nn.BatchNorm2d(c, eps=1e-3)
        self.pool4 = MaxPool2d(2, 2, padding="valid")
        self.conv5 = Conv2d(c, c, 3, padding="same", bias=True)
        self.conv5_bn = nn.BatchNorm2d(c, eps=1e-3)
        self.dropout = nn.Dropout(dropout)
        self.channels = c
        self.fc1 = nn.Linear(c * 9 * 9, 50)
        self.fc2 = nn.Linear(50, classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.conv1(x))
        x = torch.relu(self.pool2(self.conv2(x)))
        x = torch.relu(self.conv3(x))
        x = torch.relu(self.pool4(self.conv4_bn(self.conv4(x))))
        return torch.relu(self.conv5_bn(self.conv5(x)))

    def forward_with_theta(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        theta = self.localization(x)
        if self.sequential:
            attended = self.features(affine_sample(x, theta))
        else:
            attended = affine_sample(self.features(x), theta)
        x = self.dropout(attended).flatten(1)
        return self.fc2(torch.relu(self.fc1(x))), theta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward_with_theta(x)[0]

    def keras_features(self, g, x):
        x = g.relu(g.conv2d(x, "conv1", self.conv1), "conv1_relu")
        x = g.relu(g.max_pool(g.conv2d(x, "conv2", self.conv2), "pool2", self.pool2), "conv2_relu")
        x = g.relu(g.conv2d(x, "conv3", self.conv3), "conv3_relu")
        x = g.batch_norm(g.conv2d(x, "conv4", self.conv4), "conv4_bn", self.conv4_bn)
        x = g.relu(g.max_pool(x, "pool4", self.pool4), "conv4_relu")
        x = g.batch_norm(g.conv2d(x, "conv5", self.conv5), "conv5_bn", self.conv5_bn)
        return g.relu(x, "conv5_relu")

    def to_keras(self, g, x):
        theta = self.localization.to_keras(g, x)
        if self.sequential:
            attended = self.keras_features(g, g.custom("SpatialTransformer", "transformer", [x, theta]))
        else:
            attended = g.custom("SpatialTransformer", "transformer", [self.keras_features(g, x), theta])
        x = g.flatten(attended, "flatten")
        x = g.dense(x, "fc1", self.fc1, activation="relu", flattened_from=(self.channels, 9, 9))
        return g.dense(x, "predictions", self.fc2, activation="softmax")
