"""The app's "both" choice averages the shipped models' probabilities. `evaluate A B --ship-blend
fast,accurate-names` writes what that average scores to models/blend.json, where the app's picker
reads it, once it has checked that the evaluated checkpoints are the shipped models (their
exports match models/<name>/weights.bin byte for byte)."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile

from .export_tfjs import WEIGHTS_FILE, write_layers_model

BLEND_FILE = "blend.json"


def sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def check_shipped(name: str, checkpoint: str, models_dir: str) -> str:
    """The sha256 of the shipped weights, after checking that `checkpoint` exports to them."""
    from .train import load_trained

    shipped = os.path.join(models_dir, name, WEIGHTS_FILE)
    if not os.path.exists(shipped):
        raise SystemExit(f"{shipped} does not exist: export {checkpoint} to {os.path.dirname(shipped)} first")
    model, _ = load_trained(checkpoint)
    with tempfile.TemporaryDirectory() as tmp:
        write_layers_model(model, name, tmp)
        exported = sha256(os.path.join(tmp, WEIGHTS_FILE))
    if exported != sha256(shipped):
        raise SystemExit(f"{checkpoint} is not the model in {os.path.dirname(shipped)}: export it there first")
    return exported


def ship_blend(names: list[str], checkpoints: list[str], metrics: dict, command: str,
               models_dir: str = "models") -> str:
    if len(names) != len(checkpoints) or len(names) < 2:
        raise SystemExit(f"--ship-blend names {len(names)} models for {len(checkpoints)} checkpoints "
                         "(one name per checkpoint, at least two)")
    weights = {name: check_shipped(name, path, models_dir) for name, path in zip(names, checkpoints)}
    path = os.path.join(models_dir, BLEND_FILE)
    with open(path, "w") as handle:
        json.dump({"note": "the average of these shipped models' probabilities, as the app's 'both' choice",
                   "models": names, "weightsSha256": weights, "metrics": metrics, "command": command},
                  handle, indent=1)
    return path
