"""Model soup and precise batch norm: one model from the weights of trained runs.

- Averaging the weights of runs that grew from one starting point (a chain of `--init-from`
  runs) gives one model as fast as each of them and usually better (Wortsman et al. 2022,
  "Model soups"). Runs trained apart from scratch do not average: their soup is noise.
  The last epochs of one run (`train --keep-last K`) share a starting point too: their soup
  averages the tail of the schedule (Izmailov et al. 2018, "Averaging weights").
- Batch norm's running statistics are a moving average over the *augmented* batches of
  training. The app shows the model plain faces, and an averaged model has no statistics of
  its own, so they are measured again, once, over the plain Training faces ("precise BN").
A soup of one run is that run with its statistics measured again.
"""
from __future__ import annotations

import copy
import json
import os

import numpy as np
import torch

from .train import load_trained, run_info, save_checkpoint, to_input

BatchNorm = torch.nn.modules.batchnorm._BatchNorm


def average_weights(models: list[torch.nn.Module]) -> torch.nn.Module:
    """A copy of the first model holding the element-wise mean of every model's weights."""
    states = [model.state_dict() for model in models]
    names = set(states[0])
    for state in states[1:]:
        if set(state) != names or any(state[k].shape != states[0][k].shape for k in names):
            raise SystemExit("soup: the checkpoints are not the same architecture and width")
    soup = copy.deepcopy(models[0])
    averaged = {k: (sum(s[k] for s in states) / len(states) if states[0][k].is_floating_point() else states[0][k])
                for k in states[0]}
    soup.load_state_dict(averaged)
    return soup.eval()


@torch.no_grad()
def measure_batch_norm(model: torch.nn.Module, images: np.ndarray, batch: int = 256) -> torch.nn.Module:
    """Replaces every batch norm's running mean and variance by their average over `images`
    (uint8 N x 48 x 48), one pass, nothing else trained. Dropout stays off."""
    norms = [m for m in model.modules() if isinstance(m, BatchNorm)]
    momenta = [norm.momentum for norm in norms]
    model.eval()
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # a cumulative average over the batches, not a moving one
        norm.train()
    faces = torch.from_numpy(images)
    for start in range(0, len(faces), batch):
        model(to_input(faces[start:start + batch]))
    for norm, momentum in zip(norms, momenta):
        norm.momentum = momentum
    return model.eval()


def make_soup(checkpoints: list[str], images: np.ndarray, run_dir: str, command: str) -> str:
    """Writes the soup as `<run_dir>/best.pt` (the layout `evaluate` and `export` read) with a
    run.json naming the ingredients' own commands, which rebuild them. Returns the path."""
    if len(images) == 0:
        raise SystemExit("soup: no Training faces to measure batch norm on")
    loaded = [load_trained(path) for path in checkpoints]
    soup = measure_batch_norm(average_weights([model for model, _ in loaded]), images)
    first = loaded[0][1]
    state = {"model": soup.state_dict(), "epoch": first["epoch"], "history": [],
             "config": first["config"] | {"reparam": False},  # branched runs were folded on loading
             "best_epoch": first.get("best_epoch", first["epoch"] + 1)}
    os.makedirs(run_dir, exist_ok=True)
    path = os.path.join(run_dir, "best.pt")
    save_checkpoint(path, state)
    infos = [run_info(c) for c in checkpoints]
    teachers = [t for info in infos for t in info.get("teachers", [])]
    record = {"command": command, "data_sha256": infos[0].get("data_sha256"), "labels": infos[0].get("labels", "fer"),
              "ingredients": [{"checkpoint": c, "command": info.get("command")} for c, info in zip(checkpoints, infos)],
              **({"teachers": [t for i, t in enumerate(teachers) if t not in teachers[:i]]} if teachers else {})}
    with open(os.path.join(run_dir, "run.json"), "w") as handle:
        json.dump(record, handle, indent=1)
    return path
