"""Evaluation: metrics with and without flip test-time augmentation, written as JSON and pictures."""
from __future__ import annotations

import json
import os

import numpy as np
import torch

from . import LABELS
from .metrics import summarize
from .train import load_trained, predict


def evaluate_model(model: torch.nn.Module, images: np.ndarray, labels: np.ndarray) -> dict:
    return evaluate_blend([model], images, labels)


def evaluate_blend(models: list[torch.nn.Module], images: np.ndarray, labels: np.ndarray) -> dict:
    """Metrics of the models' averaged probabilities (the app's "both" choice), single and flip."""
    def averaged(flip: bool) -> np.ndarray:
        return np.mean([predict(model, images, flip=flip) for model in models], axis=0)

    return {"single": summarize(labels, averaged(False), LABELS), "flip": summarize(labels, averaged(True), LABELS)}


def evaluate_checkpoint(checkpoint: str | list[str], images: np.ndarray, labels: np.ndarray, out_dir: str) -> dict:
    checkpoints = [checkpoint] if isinstance(checkpoint, str) else checkpoint
    loaded = [load_trained(path) for path in checkpoints]
    report = evaluate_blend([model for model, _ in loaded], images, labels)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "metrics.json"), "w") as handle:
        json.dump(report | {"checkpoints": checkpoints, "epochs": [state["epoch"] + 1 for _, state in loaded]},
                  handle, indent=1)
    history = loaded[0][1].get("history", []) if len(loaded) == 1 else []
    draw_pictures(report["single"]["confusion"], history, out_dir)
    return report


def draw_pictures(confusion: list[list[int]], history: list[dict], out_dir: str) -> None:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pictures are optional; the JSON has everything
        print("matplotlib not installed: skipping pictures")
        return
    matrix = np.array(confusion, dtype=float)
    shares = matrix / np.maximum(matrix.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(LABELS)), LABELS, rotation=45, ha="right")
    ax.set_yticks(range(len(LABELS)), LABELS)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            ax.text(j, i, f"{shares[i, j]:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if shares[i, j] > 0.5 else "black")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "confusion.png"), dpi=120)
    plt.close(fig)
    if history:
        epochs = [h["epoch"] for h in history]
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        left.plot(epochs, [h["train_loss"] for h in history], label="train")
        left.plot(epochs, [h["val_loss"] for h in history], label="PublicTest")
        left.set_title("loss")
        right.plot(epochs, [h["train_acc"] for h in history], label="train")
        right.plot(epochs, [h["val_acc"] for h in history], label="PublicTest")
        right.set_title("accuracy")
        for axis in (left, right):
            axis.set_xlabel("epoch")
            axis.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "curves.png"), dpi=120)
        plt.close(fig)
