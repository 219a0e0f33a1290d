"""Export a trained checkpoint as a TF.js LayersModel: model.json + one weight file +
metadata.json (labels, input format, metrics, provenance) + parity.json (PyTorch's outputs on
fixed synthetic inputs, which the TS parity test compares against)."""
from __future__ import annotations

import datetime
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from . import LABELS
from .keras_graph import KerasGraph
from .models import parameter_count
from .train import to_input

WEIGHTS_FILE = "weights.bin"


def keras_model(model: torch.nn.Module, name: str) -> tuple[dict, list[tuple[str, np.ndarray]]]:
    graph = KerasGraph(name)
    x = graph.input((48, 48, 1))
    out = model.to_keras(graph, x)
    return graph.topology([x], [out]), graph.weights


def write_layers_model(model: torch.nn.Module, name: str, out_dir: str) -> int:
    """Writes model.json + weights.bin; returns the weight bytes."""
    topology, weights = keras_model(model.eval(), name)
    os.makedirs(out_dir, exist_ok=True)
    blob = b"".join(value.astype("<f4").tobytes() for _, value in weights)
    with open(os.path.join(out_dir, WEIGHTS_FILE), "wb") as handle:
        handle.write(blob)
    manifest = [{"paths": [WEIGHTS_FILE],
                 "weights": [{"name": n, "shape": list(v.shape), "dtype": "float32"} for n, v in weights]}]
    with open(os.path.join(out_dir, "model.json"), "w") as handle:
        json.dump({"format": "layers-model", "generatedBy": "moodlens factory", "convertedBy": None,
                   "modelTopology": topology, "weightsManifest": manifest}, handle)
    return len(blob)


def parity_inputs(count: int = 6, seed: int = 1234) -> np.ndarray:
    """Fixed synthetic 48x48 grey images (no dataset faces may enter the repo): noise, gradients,
    stripes and blobs, so every kernel position and padding edge gets non-trivial values."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:48, 0:48].astype(np.float32)
    images = [
        rng.integers(0, 256, (48, 48)),
        (xx * 255 / 47),
        (yy * 255 / 47)[::-1],
        127.5 + 127.5 * np.sin(xx / 3) * np.cos(yy / 5),
        255 * np.exp(-((xx - 20) ** 2 + (yy - 28) ** 2) / 150),
    ]
    while len(images) < count:
        images.append(rng.integers(0, 256, (48, 48)))
    return np.clip(np.stack(images[:count]), 0, 255).astype(np.uint8)


@torch.no_grad()
def write_parity(model: torch.nn.Module, out_dir: str) -> None:
    images = parity_inputs()
    probs = F.softmax(model.eval()(to_input(torch.from_numpy(images))), 1).numpy()
    with open(os.path.join(out_dir, "parity.json"), "w") as handle:
        json.dump({"note": "PyTorch softmax outputs for these 48x48 uint8 inputs; TF.js must match to 1e-4",
                   "inputs": [image.flatten().tolist() for image in images],
                   "probabilities": probs.astype(float).round(8).tolist()}, handle)


def export_model(model: torch.nn.Module, out_dir: str, name: str, metadata_extra: dict) -> dict:
    size = write_layers_model(model, name, out_dir)
    write_parity(model, out_dir)
    metadata = {
        "name": name,
        "labels": LABELS,
        "inputSize": 48,
        "channels": 1,
        "normalization": "[-1,1]",
        "parameters": parameter_count(model),
        "sizeBytes": size,
        **metadata_extra,
    }
    with open(os.path.join(out_dir, "metadata.json"), "w") as handle:
        json.dump(metadata, handle, indent=1)
    return metadata


def export_checkpoint(checkpoint: str, out_dir: str, val_images: np.ndarray, val_labels: np.ndarray,
                      checksum: str, command: str | None) -> dict:
    from .evaluate import evaluate_model
    from .train import load_trained, run_info as read_run_info

    model, state = load_trained(checkpoint)
    cfg = state["config"]
    run_info = read_run_info(checkpoint)
    report = evaluate_model(model, val_images, val_labels)
    name = os.path.basename(os.path.normpath(out_dir))
    extra = {
        "architecture": cfg["arch"],
        "metrics": {"split": "PublicTest", **{k: brief_metrics(v) for k, v in report.items()}},
        "training": {
            "command": command or run_info.get("command"),
            "data_sha256": checksum or run_info.get("data_sha256"),
            "labels": run_info.get("labels", "fer"),
            **({key: run_info[key] for key in ("teachers", "ingredients") if run_info.get(key)}),
            "seed": cfg["seed"],
            "epochs": cfg["epochs"],
            "best_epoch": state.get("best_epoch", state["epoch"] + 1),
            "config": cfg,
        },
        "exported": datetime.date.today().isoformat(),
    }
    return export_model(model, out_dir, name, extra)


def brief_metrics(metrics: dict, confusion: bool = True) -> dict:
    brief = {"accuracy": round(metrics["accuracy"], 4), "macro_f1": round(metrics["macro_f1"], 4),
             "recall": {n: round(v["recall"], 4) for n, v in metrics["per_class"].items()}}
    return brief | {"confusion": metrics["confusion"]} if confusion else brief
