"""The model families the app ships. Each PyTorch module has a `to_keras(graph, x)` that
mirrors its `forward` layer by layer with the same names, which is what the exporter writes
as a TF.js LayersModel: read the two methods side by side."""
from __future__ import annotations

import torch
from torch import nn

from .layers import Conv2d, MaxPool2d, SeparableConv2d, batch_norm


class ConvBnRelu(nn.Module):
    def __init__(self, name: str, cin: int, cout: int, kernel: int = 3, padding: str = "valid",
                 stride: int = 1, dilation: int = 1):
        super().__init__()
        self.name = name
        self.conv = Conv2d(cin, cout, kernel, stride=stride, padding=padding, dilation=dilation)
        self.bn = batch_norm(cout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.bn(self.conv(x)))

    def to_keras(self, g, x):
        x = g.conv2d(x, self.name, self.conv)
        x = g.batch_norm(x, f"{self.name}_bn", self.bn)
        return g.relu(x, f"{self.name}_relu")


class XceptionBlock(nn.Module):
    """Residual depthwise-separable module of mini-Xception (Arriaga et al. 2017, fig. 4)."""

    def __init__(self, name: str, cin: int, cout: int):
        super().__init__()
        self.name = name
        self.shortcut = Conv2d(cin, cout, 1, stride=2)
        self.shortcut_bn = batch_norm(cout)
        self.sepconv1 = SeparableConv2d(cin, cout)
        self.sepconv1_bn = batch_norm(cout)
        self.sepconv2 = SeparableConv2d(cout, cout)
        self.sepconv2_bn = batch_norm(cout)
        self.pool = MaxPool2d(3, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        residual = self.shortcut_bn(self.shortcut(x))
        x = torch.relu(self.sepconv1_bn(self.sepconv1(x)))
        x = self.pool(self.sepconv2_bn(self.sepconv2(x)))
        return x + residual

    def to_keras(self, g, x):
        n = self.name
        residual = g.batch_norm(g.conv2d(x, f"{n}_shortcut", self.shortcut), f"{n}_shortcut_bn", self.shortcut_bn)
        x = g.batch_norm(g.separable_conv2d(x, f"{n}_sepconv1", self.sepconv1), f"{n}_sepconv1_bn", self.sepconv1_bn)
        x = g.relu(x, f"{n}_sepconv1_relu")
        x = g.batch_norm(g.separable_conv2d(x, f"{n}_sepconv2", self.sepconv2), f"{n}_sepconv2_bn", self.sepconv2_bn)
        x = g.max_pool(x, f"{n}_pool", self.pool)
        return g.add([x, residual], f"{n}_add")


class MiniXception(nn.Module):
    """~60k parameters at width 1: two plain convs, four residual separable modules, a 3x3 conv
    to one map per class, global average pooling, softmax. No fully connected layer."""

    def __init__(self, classes: int = 7, width: float = 1.0, dropout: float = 0.0, stem: int | None = None):
        super().__init__()
        stem = stem or round(8 * width)
        widths = [round(c * width) for c in (16, 32, 64, 128)]
        self.conv1 = ConvBnRelu("conv1", 1, stem)
        self.conv2 = ConvBnRelu("conv2", stem, stem)
        blocks, cin = [], stem
        for i, cout in enumerate(widths, start=1):
            blocks.append(XceptionBlock(f"block{i}", cin, cout))
            cin = cout
        self.blocks = nn.ModuleList(blocks)
        self.dropout = nn.Dropout(dropout)
        self.head = Conv2d(cin, classes, 3, bias=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Returns logits; the exported model ends in softmax."""
        x = self.conv2(self.conv1(x))
        for block in self.blocks:
            x = block(x)
        return self.head(self.dropout(x)).mean(dim=(2, 3))

    def to_keras(self, g, x):
        x = self.conv2.to_keras(g, self.conv1.to_keras(g, x))
        for block in self.blocks:
            x = block.to_keras(g, x)
        x = g.conv2d(x, "head", self.head)
        x = g.global_average_pool(x, "head_pool")
        return g.softmax(x, "predictions")


def _attention(name: str):
    from . import attention  # imported late: attention.py builds on the blocks above

    return {"aer-cnn": attention.AerCnn,
            "deep-emotion": attention.DeepEmotion,
            "deep-emotion-seq": lambda **kw: attention.DeepEmotion(sequential=True, **kw)}[name]


def _seed_system(name: str):
    """The seed systems of issue #23 (multiscale.py, classic.py, prior.py), imported late too."""
    from . import classic, multiscale, prior

    return {"msff-cnn": multiscale.MsffCnn, "drf-msam": multiscale.DrfMsam, "vgg19": classic.Vgg19,
            "resnet18": classic.ResNet18, "blend-vgg-resnet": classic.BlendVggResnet,
            "prior-attention": prior.PriorAttention}[name]


ARCHITECTURES = {
    "mini-xception": lambda **kw: MiniXception(**kw),
    "aer-cnn": lambda **kw: _attention("aer-cnn")(**kw),
    "deep-emotion": lambda **kw: _attention("deep-emotion")(**kw),
    "deep-emotion-seq": lambda **kw: _attention("deep-emotion-seq")(**kw),
    **{name: (lambda name: lambda **kw: _seed_system(name)(**kw))(name)
       for name in ("msff-cnn", "drf-msam", "vgg19", "resnet18", "blend-vgg-resnet", "prior-attention")},
}

# `--width` when none is given. 1 everywhere but for the real VGG19 and ResNet18 (classic.py):
# at width 1 they cost ~0.9 and ~1.2 billion multiply-adds per face (20M and 11M parameters);
# an eighth of the channels costs 14M and 20M, about what the shipped AER-CNN costs (23M).
DEFAULT_WIDTH = {"vgg19": 0.125, "resnet18": 0.125, "blend-vgg-resnet": 0.125}


def default_width(arch: str) -> float:
    return DEFAULT_WIDTH.get(arch, 1.0)


# `stem`: channels of the two full-resolution plain convs (default 8 x width). They cost the most
# per channel (a 3x3 conv at 44x44), so a net can widen its blocks and keep a slim stem.
STEMMED = ("mini-xception", "aer-cnn")


def build(arch: str, **options) -> nn.Module:
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture '{arch}'; known: {', '.join(sorted(ARCHITECTURES))}")
    if options.get("width", 0) is None:
        options["width"] = default_width(arch)
    stem = options.pop("stem", None)
    if stem is not None:
        if arch not in STEMMED:
            raise ValueError(f"--stem applies to {' and '.join(STEMMED)}, not {arch}")
        if stem < 1:
            raise ValueError(f"--stem must be at least 1 channel, got {stem}")
        options["stem"] = stem
    return ARCHITECTURES[arch](**options)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
