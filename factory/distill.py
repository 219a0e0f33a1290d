"""Knowledge distillation targets: a student learns from the hard label mixed with a trained
teacher's probabilities. FER2013's labels are noisy (human agreement is ~65%), so a teacher's
soft view of each face carries what a one-hot label cannot ("this fear looks half surprised")."""
from __future__ import annotations

import hashlib
import os

import numpy as np
import torch
import torch.nn.functional as F

from . import LABELS


def teacher_probabilities(checkpoints: list[str], images: np.ndarray) -> np.ndarray:
    """The average of the teachers' flip-averaged probabilities. Flip-averaged, so the target
    stays right when augmentation mirrors the face."""
    from .train import load_trained, predict

    total = np.zeros((len(images), len(LABELS)), np.float64)
    for path in checkpoints:
        model, _ = load_trained(path)
        total += predict(model, images, flip=True)
    return (total / len(checkpoints)).astype(np.float32)


def soften(probs: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T) from probabilities: p^(1/T), renormalised."""
    powered = np.power(np.maximum(probs, 1e-12), 1.0 / temperature)
    return powered / powered.sum(1, keepdims=True)


def distill_targets(labels: np.ndarray, teacher: np.ndarray, weight: float, temperature: float = 1.0,
                    smoothing: float = 0.0) -> np.ndarray:
    """(1 - weight) x the (smoothed) one-hot label + weight x the softened teacher."""
    classes = teacher.shape[1]
    hard = np.full((len(labels), classes), smoothing / classes, np.float32)
    hard[np.arange(len(labels)), labels] += 1.0 - smoothing
    return ((1.0 - weight) * hard + weight * soften(teacher, temperature)).astype(np.float32)


def cached_teacher(checkpoints: list[str], images: np.ndarray, run_dir: str, log=print) -> np.ndarray:
    """Teacher probabilities, computed once per run (a resumed run reuses them, so it trains on
    exactly the targets it started with); other teachers or faces are predicted anew."""
    path = os.path.join(run_dir, "teacher.npy")
    key = hashlib.sha256(images.tobytes() + "\n".join(checkpoints).encode()).hexdigest()[:16]
    if os.path.exists(path) and os.path.exists(path + ".key"):
        with open(path + ".key") as handle:
            same_inputs = handle.read() == key
        cached = np.load(path, allow_pickle=False)
        if same_inputs and cached.shape == (len(images), len(LABELS)):
            return cached
    log(f"teacher: predicting {len(images)} training faces with {', '.join(checkpoints)}")
    probs = teacher_probabilities(checkpoints, images)
    np.save(path, probs)
    with open(path + ".key", "w") as handle:
        handle.write(key)
    return probs


class OnlineTeacher:
    """Teachers that look at the very batch the student sees, augmentation included ("consistent
    teaching", Beyer et al. 2022). Cached targets describe the plain face, while the student may
    see it rotated or with the mouth erased; here the target always matches the input, at the
    cost of one teacher forward pass per batch."""

    def __init__(self, checkpoints: list[str], weight: float, temperature: float = 1.0, smoothing: float = 0.0):
        from .train import load_trained, pick_device

        device = pick_device()  # the student's device: the batches arrive there
        self.models = [load_trained(path)[0].eval().to(device, memory_format=torch.channels_last)
                       for path in checkpoints]
        self.weight, self.temperature, self.smoothing = weight, temperature, smoothing

    @torch.no_grad()
    def __call__(self, x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        probs = sum(F.softmax(model(x), 1) for model in self.models) / len(self.models)
        mixed = distill_targets(labels.cpu().numpy(), probs.cpu().numpy(), self.weight, self.temperature,
                                self.smoothing)
        return torch.from_numpy(mixed).to(x.device)
