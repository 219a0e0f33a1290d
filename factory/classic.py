"""Seed 001's systems (issue #23): VGG19, ResNet18 and their "Multiple" blend.

`--width 1` is the real network adapted to 48x48 grey faces: one input channel; VGG19's 16
convs (with batch norm, as FER2013 PyTorch ports train it) and five poolings (48 -> 2 pixels),
then global average pooling and one Linear(512, 7) in place of ImageNet's 4096-wide layers;
ResNet18 as adapted for small images (He et al. 2016, CIFAR): a 3x3 stem conv without stride
or pooling, four stages of two basic blocks (64, 128, 256, 512 channels; 48, 24, 12, 6 pixels),
global average pooling, Linear(512, 7). At full width they cost about 0.9 and 1.2 billion
multiply-adds per face (20M and 11M parameters), far too much for a browser, so the factory
trains them at `--width 0.125` unless told otherwise (DEFAULT_WIDTH in models.py): 14M and 20M
multiply-adds, 0.3M and 0.2M parameters.

`blend-vgg-resnet` is the seed's `Multiple` network: both nets' 7 logits (their outputs before
any softmax, as the seed's `vgg(x)` and `resnet(x)` return them) concatenated into a learned
Linear(14, 7). Trained with `--members VGG.pt RESNET.pt` it starts from two trained nets,
freezes them (weights and batch-norm statistics) and learns only the Linear(14, 7); it exports
as one LayersModel holding both nets.
"""
from __future__ import annotations

import torch
from torch import nn

from .layers import Conv2d, MaxPool2d, StridedPointwise, batch_norm
from .models import ConvBnRelu

VGG19 = ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512), (512, 512, 512, 512))
RESNET18 = (64, 128, 256, 512)


def scaled(channels: int, width: float) -> int:
    return max(1, round(channels * width))


class Vgg19(nn.Module):
    """Five blocks of 3x3 convs (batch norm, ReLU), each ended by a 2x2 max pooling."""

    def __init__(self, classes: int = 7, width: float = 0.125, dropout: float = 0.0, prefix: str = ""):
        super().__init__()
        self.prefix = prefix
        self.convs = nn.ModuleList()
        self.pools = nn.ModuleList()
        self.block_sizes = []
        cin = 1
        for b, block in enumerate(VGG19, start=1):
            for k, channels in enumerate(block, start=1):
                cout = scaled(channels, width)
                self.convs.append(ConvBnRelu(f"{prefix}block{b}_conv{k}", cin, cout, 3, padding="same"))
                cin = cout
            self.block_sizes.append(len(block))
            self.pools.append(MaxPool2d(2, 2))
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(cin, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits."""
        convs = iter(self.convs)
        for size, pool in zip(self.block_sizes, self.pools):
            for _ in range(size):
                x = next(convs)(x)
            x = pool(x)
        return self.classifier(self.dropout(x.mean(dim=(2, 3))))

    def keras_logits(self, g, x, name: str, activation: str = "linear"):
        convs = iter(self.convs)
        for b, (size, pool) in enumerate(zip(self.block_sizes, self.pools), start=1):
            for _ in range(size):
                x = next(convs).to_keras(g, x)
            x = g.max_pool(x, f"{self.prefix}block{b}_pool", pool)
        x = g.global_average_pool(x, f"{self.prefix}pool_global")
        return g.dense(x, name, self.classifier, activation=activation)

    def to_keras(self, g, x):
        return self.keras_logits(g, x, f"{self.prefix}predictions", activation="softmax")


class BasicBlock(nn.Module):
    """Two 3x3 convs with batch norm and a shortcut (a strided 1x1 conv + batch norm where the
    shape changes), ReLU after the sum."""

    def __init__(self, name: str, cin: int, cout: int, stride: int):
        super().__init__()
        self.name = name
        self.conv1 = Conv2d(cin, cout, 3, stride=stride, padding="same")
        self.bn1 = batch_norm(cout)
        self.conv2 = Conv2d(cout, cout, 3, padding="same")
        self.bn2 = batch_norm(cout)
        self.shortcut = StridedPointwise(cin, cout, stride) if stride != 1 or cin != cout else None
        self.shortcut_bn = batch_norm(cout) if self.shortcut is not None else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        residual = self.shortcut_bn(self.shortcut(x)) if self.shortcut is not None else x
        return torch.relu(y + residual)

    def to_keras(self, g, x):
        n = self.name
        y = g.relu(g.batch_norm(g.conv2d(x, f"{n}_conv1", self.conv1), f"{n}_bn1", self.bn1), f"{n}_relu1")
        y = g.batch_norm(g.conv2d(y, f"{n}_conv2", self.conv2), f"{n}_bn2", self.bn2)
        residual = x
        if self.shortcut is not None:
            residual = g.batch_norm(g.conv2d(x, f"{n}_shortcut", self.shortcut), f"{n}_shortcut_bn",
                                    self.shortcut_bn)
        return g.relu(g.add([y, residual], f"{n}_add"), f"{n}_out")


class ResNet18(nn.Module):
    """3x3 stem, stages of two basic blocks at strides 1, 2, 2, 2, global pooling, Linear."""

    def __init__(self, classes: int = 7, width: float = 0.125, dropout: float = 0.0, prefix: str = ""):
        super().__init__()
        self.prefix = prefix
        widths = [scaled(c, width) for c in RESNET18]
        self.stem = ConvBnRelu(f"{prefix}stem", 1, widths[0], 3, padding="same")
        self.blocks = nn.ModuleList()
        cin = widths[0]
        for s, cout in enumerate(widths, start=1):
            for k in (1, 2):
                stride = 2 if s > 1 and k == 1 else 1
                self.blocks.append(BasicBlock(f"{prefix}stage{s}_block{k}", cin, cout, stride))
                cin = cout
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(cin, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits."""
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.classifier(self.dropout(x.mean(dim=(2, 3))))

    def keras_logits(self, g, x, name: str, activation: str = "linear"):
        x = self.stem.to_keras(g, x)
        for block in self.blocks:
            x = block.to_keras(g, x)
        x = g.global_average_pool(x, f"{self.prefix}pool_global")
        return g.dense(x, name, self.classifier, activation=activation)

    def to_keras(self, g, x):
        return self.keras_logits(g, x, f"{self.prefix}predictions", activation="softmax")


class BlendVggResnet(nn.Module):
    """Seed 001's `Multiple`: Linear(14, 7) over VGG19's and ResNet18's concatenated logits. The
    Linear starts as the average of the two (so a blend of trained members starts where an
    average of their logits is). `frozen` (set by training with --members) keeps both members in
    eval mode: their batch-norm statistics and dropout do not change while the Linear learns."""

    def __init__(self, classes: int = 7, width: float = 0.125, dropout: float = 0.0):
        super().__init__()
        self.vgg = Vgg19(classes, width, dropout, prefix="vgg_")
        self.resnet = ResNet18(classes, width, dropout, prefix="resnet_")
        self.fc = nn.Linear(2 * classes, classes)
        with torch.no_grad():
            eye = torch.eye(classes) / 2
            self.fc.weight.copy_(torch.cat([eye, eye], 1))
            self.fc.bias.zero_()
        self.frozen = False

    def freeze_members(self) -> None:
        self.frozen = True
        for member in (self.vgg, self.resnet):
            member.requires_grad_(False)
            member.eval()

    def train(self, mode: bool = True):
        super().train(mode)
        if self.frozen:
            self.vgg.eval()
            self.resnet.eval()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.cat([self.vgg(x), self.resnet(x)], 1))

    def to_keras(self, g, x):
        logits = [self.vgg.keras_logits(g, x, "vgg_logits"), self.resnet.keras_logits(g, x, "resnet_logits")]
        return g.dense(g.concatenate(logits, "members"), "predictions", self.fc, activation="softmax")
