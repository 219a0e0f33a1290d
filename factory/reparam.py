"""Training-time over-parameterisation (RepVGG, Ding et al. 2021; MobileOne, Vasu et al. 2023).

A small net like mini-Xception underfits FER2013. During training each convolution and its
batch norm become parallel linear branches, each with its own batch norm: a 3x3 kernel, a 1x1
kernel and an identity. Each branch's batch norm normalises with its own batch statistics, which
is what makes the sum train differently from one convolution. At inference every branch is
linear, so `fold` sums them back into exactly the original layers: the exported model has the
same layers, parameters and speed as one trained plainly.
"""
from __future__ import annotations

import torch
from torch import nn

from .layers import BN_EPSILON, Conv2d, SeparableConv2d, batch_norm
from .models import ConvBnRelu, XceptionBlock


def _affine(bn: nn.BatchNorm2d) -> tuple[torch.Tensor, torch.Tensor]:
    """A batch norm in eval mode as y = scale * x + shift, per channel."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return scale, bn.bias - bn.running_mean * scale


def _as_batch_norm(shift: torch.Tensor) -> nn.BatchNorm2d:
    """A batch norm that adds `shift` and nothing else (the folded branches' bias)."""
    bn = batch_norm(len(shift))
    with torch.no_grad():
        bn.running_mean.zero_()
        bn.running_var.fill_(1.0 - BN_EPSILON)
        bn.weight.fill_(1.0)
        bn.bias.copy_(shift)
    return bn.eval()


def _fold_3x3_and_1x1(conv3: nn.Conv2d, bn3: nn.BatchNorm2d, conv1: nn.Conv2d, bn1: nn.BatchNorm2d):
    """The kernel and shift of bn3(conv3(x)) + bn1(conv1(x)): the 1x1 kernel joins the 3x3's centre
    (dense or depthwise alike: both keep output x input in the first two axes)."""
    scale3, shift3 = _affine(bn3)
    kernel = conv3.weight * scale3.view(-1, 1, 1, 1)
    scale1, shift1 = _affine(bn1)
    kernel[:, :, 1, 1] += conv1.weight[:, :, 0, 0] * scale1.view(-1, 1)
    return kernel, shift3 + shift1


class BranchedConv(nn.Module):
    """Conv2d(3x3, stride 1) + batch norm, trained as 3x3 + 1x1 (+ identity) branches."""

    def __init__(self, conv: Conv2d):
        super().__init__()
        cin, cout = conv.in_channels, conv.out_channels
        assert conv.stride == (1, 1) and conv.kernel_size == (3, 3) and conv.groups == 1 and conv.dilation == (1, 1)
        self.valid = conv.keras_padding == "valid"  # a 1x1 branch then sees the centre crop
        self.conv3 = Conv2d(cin, cout, 3, padding=conv.keras_padding)
        self.bn3 = batch_norm(cout)
        self.conv1 = Conv2d(cin, cout, 1, padding="valid")
        self.bn1 = batch_norm(cout)
        self.identity = batch_norm(cout) if cin == cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        centre = x[..., 1:-1, 1:-1] if self.valid else x
        y = self.bn3(self.conv3(x)) + self.bn1(self.conv1(centre))
        return y + self.identity(centre) if self.identity is not None else y

    @torch.no_grad()
    def fold(self) -> tuple[Conv2d, nn.BatchNorm2d]:
        kernel, shift = _fold_3x3_and_1x1(self.conv3, self.bn3, self.conv1, self.bn1)
        if self.identity is not None:
            scale_id, shift_id = _affine(self.identity)
            kernel[:, :, 1, 1] += torch.diag(scale_id)
            shift = shift + shift_id
        conv = Conv2d(self.conv3.in_channels, self.conv3.out_channels, 3, padding=self.conv3.keras_padding)
        conv.weight.copy_(kernel)
        return conv, _as_batch_norm(shift)


class BranchedSeparable(nn.Module):
    """SeparableConv2d + batch norm, trained with branches in both halves: the depthwise step
    as 3x3 + 1x1, the pointwise step as 1x1 (+ identity when the widths match). (A depthwise
    identity branch would repeat the depthwise 1x1 one: both scale each channel.)"""

    def __init__(self, sep: SeparableConv2d):
        super().__init__()
        cin, cout = sep.depthwise.in_channels, sep.pointwise.out_channels
        self.dw3 = Conv2d(cin, cin, 3, padding="same", groups=cin)
        self.dw3_bn = batch_norm(cin)
        self.dw1 = Conv2d(cin, cin, 1, padding="valid", groups=cin)
        self.dw1_bn = batch_norm(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.pw_bn = batch_norm(cout)
        self.pw_identity = batch_norm(cout) if cin == cout else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.dw3_bn(self.dw3(x)) + self.dw1_bn(self.dw1(x))
        y = self.pw_bn(self.pw(z))
        return y + self.pw_identity(z) if self.pw_identity is not None else y

    @torch.no_grad()
    def fold(self) -> tuple[SeparableConv2d, nn.BatchNorm2d]:
        depthwise, dw_shift = _fold_3x3_and_1x1(self.dw3, self.dw3_bn, self.dw1, self.dw1_bn)
        pw_scale, pw_shift = _affine(self.pw_bn)
        pointwise = self.pw.weight[:, :, 0, 0] * pw_scale.view(-1, 1)
        if self.pw_identity is not None:
            scale, shift = _affine(self.pw_identity)
            pointwise = pointwise + torch.diag(scale)
            pw_shift = pw_shift + shift
        # The depthwise step's shift passes through the (linear) pointwise step.
        shift = pointwise @ dw_shift + pw_shift
        sep = SeparableConv2d(self.dw3.in_channels, self.pw.out_channels)
        sep.depthwise.weight.copy_(depthwise)
        sep.pointwise.weight.copy_(pointwise.view(*pointwise.shape, 1, 1))
        return sep, _as_batch_norm(shift)


def _branchable(conv: nn.Module) -> bool:
    return isinstance(conv, BranchedConv) or (conv.kernel_size == (3, 3) and conv.stride == (1, 1)
                                              and conv.groups == 1 and conv.dilation == (1, 1))


def _branched_pairs(model: nn.Module):
    """(module, conv attribute, batch-norm attribute) of every pair that branches."""
    for module in model.modules():
        if isinstance(module, ConvBnRelu) and _branchable(module.conv):
            yield module, "conv", "bn"
        elif isinstance(module, XceptionBlock):
            yield module, "sepconv1", "sepconv1_bn"
            yield module, "sepconv2", "sepconv2_bn"


def overparameterize(model: nn.Module) -> nn.Module:
    """The training form: every 3x3 conv and separable conv (with its batch norm) branched."""
    for module, conv, bn in list(_branched_pairs(model)):
        layer = getattr(module, conv)
        setattr(module, conv, BranchedConv(layer) if isinstance(layer, Conv2d) else BranchedSeparable(layer))
        setattr(module, bn, nn.Identity())
    return model


def fold(model: nn.Module) -> nn.Module:
    """The inference form, in place: every branched layer summed into its plain conv + batch norm."""
    model.eval()
    for module, conv, bn in list(_branched_pairs(model)):
        layer = getattr(module, conv)
        if isinstance(layer, (BranchedConv, BranchedSeparable)):
            plain, norm = layer.fold()
            setattr(module, conv, plain)
            setattr(module, bn, norm)
    return model
