"""Exports every architecture with random weights and random batch-norm statistics, so the TF.js
parity test checks the exporter on weights no training run chose (`python3 -m factory.random_export DIR`)."""
from __future__ import annotations

import os
import sys

import torch

from .classic import BlendVggResnet
from .export_tfjs import export_model
from .models import ARCHITECTURES, build
from .multiscale import DynamicReceptiveField, MultiScaleAttention
from .reparam import fold, overparameterize


def randomized(arch: str, seed: int = 7, branched: bool = False) -> torch.nn.Module:
    """`branched`: the training form of --reparam (fold it to export)."""
    torch.manual_seed(seed)
    model = build(arch)
    if branched:
        overparameterize(model)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                # Variances near epsilon make a wrong exported epsilon visible; gamma scaled by
                # sqrt(var) keeps activations near unit size so the softmax does not saturate.
                var = torch.exp(torch.empty_like(module.running_var).uniform_(-7, -2))
                module.running_var.copy_(var)
                module.running_mean.uniform_(-0.2, 0.2)
                module.weight.copy_(var.sqrt() * torch.empty_like(var).uniform_(1.0, 3.0))
                module.bias.uniform_(-0.3, 0.3)
        blend = getattr(model, "fc", None) if isinstance(model, BlendVggResnet) else None
        for module in model.modules():
            if isinstance(module, torch.nn.Linear) and module.out_features == 7 and blend is None:
                module.weight.mul_(8)  # spread the softmax: near-uniform outputs would prove little
            if isinstance(module, DynamicReceptiveField):
                # Decisive branch weights: near 0.5 / 0.5 they would hide a mixed-up channel order.
                module.select.weight.mul_(8)
                module.select.bias.uniform_(-2, 2)
            if isinstance(module, MultiScaleAttention):
                module.score.weight.mul_(4)  # gates that vary over the map, not all near 0.5
        if blend is not None:
            # Not the average it starts as (which would hide which member comes first), and the
            # members' logits left unscaled: three scaled layers in a row would saturate the softmax.
            blend.weight.normal_(0, 1.5)
        localization = getattr(model, "localization", None)
        if localization is not None:
            # Trained-from-scratch localizers start at the identity; a parity check needs real
            # warps: rotation, zoom and shifts that sample outside the map (zero padding).
            localization.fc2.weight.normal_(0, 0.05)
            localization.fc2.bias.copy_(torch.tensor([0.8, 0.35, 0.2, -0.3, 1.1, -0.25]))
    return model.eval()


def main(out: str) -> None:
    torch.set_num_threads(1)
    for arch in ARCHITECTURES:
        export_model(randomized(arch), os.path.join(out, arch), arch, {"architecture": arch, "random": True})
        print(os.path.join(out, arch))
    # A model trained with --reparam is exported folded: prove the folded layers export right too.
    folded = fold(randomized("mini-xception", branched=True))
    export_model(folded, os.path.join(out, "mini-xception-folded"), "mini-xception",
                 {"architecture": "mini-xception", "random": True, "folded": True})
    print(os.path.join(out, "mini-xception-folded"))


if __name__ == "__main__":
    main(sys.argv[1])
