"""PyTorch building blocks that compute exactly what their Keras/TF.js namesakes compute.

TF's "same" padding is asymmetric when the stride does not divide evenly (the extra row/column
goes at the bottom/right); PyTorch's symmetric `padding=` would shift every window by one pixel.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

# Keras' BatchNormalization default; used on both sides so exported statistics mean the same.
BN_EPSILON = 1e-3


def tf_same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """(before, after) padding TF adds along one axis for padding='same'."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pad_same(x: torch.Tensor, kernel: int, stride: int, value: float = 0.0) -> torch.Tensor:
    top, bottom = tf_same_padding(x.shape[-2], kernel, stride)
    left, right = tf_same_padding(x.shape[-1], kernel, stride)
    if top == bottom == left == right == 0:
        return x
    return F.pad(x, (left, right, top, bottom), value=value)


class Conv2d(nn.Conv2d):
    """Conv2D with Keras padding semantics ('same' or 'valid'). A dilated kernel covers
    (kernel - 1) x dilation + 1 pixels; Keras refuses dilation with a stride, and so does this."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int = 1, padding: str = "same",
                 bias: bool = False, groups: int = 1, dilation: int = 1):
        if dilation != 1 and stride != 1:
            raise ValueError("Keras' Conv2D takes a dilation or a stride, not both")
        super().__init__(cin, cout, kernel, stride=stride, padding=0, bias=bias, groups=groups, dilation=dilation)
        self.keras_padding = padding

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.keras_padding == "same":
            x = pad_same(x, (self.kernel_size[0] - 1) * self.dilation[0] + 1, self.stride[0])
        return super().forward(x)


class StridedPointwise(Conv2d):
    """A strided 1x1 Conv2D (exported as such) computed as sampling every stride-th pixel, then a
    1x1 conv: the same values, as a strided 1x1 conv never pads (in TF either). Debian's torch
    1.13 corrupts the heap in the backward pass of a strided 1x1 conv on 48x48 channels-last
    maps (ResNet18's first shortcut); mini-Xception's 44x44 shortcuts keep the plain Conv2d."""

    def __init__(self, cin: int, cout: int, stride: int, bias: bool = False):
        super().__init__(cin, cout, 1, stride=stride, padding="valid", bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sh, sw = self.stride
        return F.conv2d(x[..., ::sh, ::sw], self.weight, self.bias)


class SeparableConv2d(nn.Module):
    """Keras SeparableConv2D (depth multiplier 1): depthwise kernel then 1x1 pointwise kernel."""

    def __init__(self, cin: int, cout: int, kernel: int = 3, bias: bool = False):
        super().__init__()
        self.depthwise = Conv2d(cin, cin, kernel, padding="same", groups=cin)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pointwise(self.depthwise(x))


class MaxPool2d(nn.Module):
    """Keras MaxPooling2D; padded cells never win (TF pads with -inf)."""

    def __init__(self, kernel: int, stride: int, padding: str = "same"):
        super().__init__()
        self.kernel, self.stride, self.keras_padding = kernel, stride, padding

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.keras_padding == "same":
            x = pad_same(x, self.kernel, self.stride, value=float("-inf"))
        return F.max_pool2d(x, self.kernel, self.stride)


class AvgPool2d(nn.Module):
    """Keras AveragePooling2D with stride 1 and padding 'same' (odd kernels): each output is the
    mean of the window's cells inside the map, the padding not counted (as TF does)."""

    def __init__(self, kernel: int):
        super().__init__()
        if kernel % 2 != 1:
            raise ValueError("only odd kernels pad symmetrically")
        self.kernel = kernel

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.avg_pool2d(x, self.kernel, 1, self.kernel // 2, count_include_pad=False)


def batch_norm(channels: int) -> nn.BatchNorm2d:
    return nn.BatchNorm2d(channels, eps=BN_EPSILON)
