"""Read an exported model (models/NAME, or the same folder at an older commit) back into a
PyTorch checkpoint. Checkpoints live in factory/runs/, which git ignores and a new machine does
not have; the exports are committed. Imported, a shipped model can teach again, be continued
(--init-from) or go into a soup, and its run.json still carries the commands that trained it.

The exporter only moves weights around (layout changes, see keras_graph.py), so the inverse is
found by probing rather than written layer by layer: every weight of an untrained twin gets a
distinct number, the twin is exported, and where each number lands says where it came from."""
from __future__ import annotations

import copy
import json
import os
import subprocess

import numpy as np
import torch
import torch.nn.functional as F

from .export_tfjs import WEIGHTS_FILE, keras_model
from .train import build_model, save_checkpoint, to_input

PARITY_TOLERANCE = 1e-4  # the TF.js side is held to the same bound


def read_export_file(folder: str, name: str, rev: str | None) -> bytes:
    """A file of an export folder, from the work tree or, with `rev`, from that git commit."""
    if rev is None:
        with open(os.path.join(folder, name), "rb") as handle:
            return handle.read()
    path = os.path.relpath(os.path.join(folder, name)).replace(os.sep, "/")
    done = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True)
    if done.returncode != 0:
        raise SystemExit(f"import: {path} is not in commit {rev}: {done.stderr.decode().strip()}")
    return done.stdout


def weight_sources(model: torch.nn.Module) -> tuple[dict[str, torch.Tensor], list[tuple[str, np.ndarray]]]:
    """The model's floating tensors (parameters and batch-norm statistics), and for every
    exported weight (name, index of each of its values in those tensors laid end to end)."""
    tensors = {k: v for k, v in model.state_dict().items() if v.is_floating_point()}
    probe = copy.deepcopy(model)
    offset, numbered = 0, {}
    for key, value in tensors.items():
        numbered[key] = torch.arange(offset, offset + value.numel(), dtype=torch.float32).view_as(value)
        offset += value.numel()
    if offset >= 2 ** 24:
        raise ValueError("import: too many weights to number exactly in float32")
    probe.load_state_dict(numbered, strict=False)
    _, exported = keras_model(probe.eval(), "probe")
    indices = [(name, value.astype(np.int64)) for name, value in exported]
    seen = np.concatenate([i.ravel() for _, i in indices])
    if not all(np.array_equal(v, i) for (_, v), (_, i) in zip(exported, indices)) or \
            len(seen) != offset or not np.array_equal(np.sort(seen), np.arange(offset)):
        raise ValueError("import: this architecture's export is not a plain rearrangement of its weights")
    return tensors, indices


def load_export(folder: str, rev: str | None = None) -> tuple[torch.nn.Module, dict]:
    """The PyTorch model an export folder holds, and its metadata. Checked: the weight names and
    shapes match the architecture's, and the model reproduces the export's parity outputs."""
    metadata = json.loads(read_export_file(folder, "metadata.json", rev))
    config = metadata.get("training", {}).get("config")
    if not config:
        raise SystemExit(f"import: {folder}/metadata.json has no training config: the architecture is unknown")
    model = build_model(config).eval()
    manifest = json.loads(read_export_file(folder, "model.json", rev))["weightsManifest"]
    entries = [w for group in manifest for w in group["weights"]]
    blob = np.frombuffer(read_export_file(folder, WEIGHTS_FILE, rev), dtype="<f4")
    tensors, indices = weight_sources(model)
    expected = [(name, list(index.shape)) for name, index in indices]
    if [(w["name"], w["shape"]) for w in entries] != expected:
        raise SystemExit(f"import: {folder}/model.json does not hold the weights of {config['arch']} "
                         f"as configured in its metadata")
    needed = sum(index.size for _, index in indices)
    if blob.size != needed:
        raise SystemExit(f"import: {folder}/{WEIGHTS_FILE} has {blob.size} values, the model needs {needed}")
    flat = np.empty(blob.size, np.float32)
    start = 0
    for _, index in indices:
        flat[index.ravel()] = blob[start:start + index.size]
        start += index.size
    state, start = {}, 0
    for key, value in tensors.items():
        state[key] = torch.from_numpy(flat[start:start + value.numel()].copy()).view_as(value)
        start += value.numel()
    model.load_state_dict(state, strict=False)
    check_parity(model, json.loads(read_export_file(folder, "parity.json", rev)), folder)
    return model.eval(), metadata


@torch.no_grad()
def check_parity(model: torch.nn.Module, parity: dict, folder: str) -> None:
    images = np.array(parity["inputs"], np.uint8).reshape(-1, 48, 48)
    probs = F.softmax(model(to_input(torch.from_numpy(images))), 1).numpy()
    gap = float(np.abs(probs - np.array(parity["probabilities"])).max())
    if gap > PARITY_TOLERANCE:
        raise SystemExit(f"import: the imported model differs from {folder}/parity.json by {gap:.2e}")


def export_commit(folder: str, rev: str | None) -> str | None:
    """The commit an export is read from: `rev`, or HEAD when the folder is as committed there."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], capture_output=True, text=True)

    if rev is not None:
        return git("rev-parse", "--short", f"{rev}^{{commit}}").stdout.strip() or rev
    clean = git("diff", "--quiet", "HEAD", "--", folder).returncode == 0 and \
        not git("ls-files", "--others", "--", folder).stdout.strip() and git("ls-files", "--", folder).stdout.strip()
    return git("rev-parse", "--short", "HEAD").stdout.strip() if clean else None


def import_command(folder: str, run_dir: str, rev: str | None) -> str:
    """What rebuilds the imported run exactly: the import of that commit's export."""
    import shlex

    commit = export_commit(folder, rev)
    name, runs = os.path.basename(os.path.normpath(run_dir)), os.path.dirname(os.path.normpath(run_dir))
    return shlex.join(["/usr/bin/python3", "-m", "factory", "import", os.path.relpath(folder),
                       *(["--rev", commit] if commit else []), "--name", name,
                       *(["--runs", runs] if runs != os.path.join("factory", "runs") else [])])


def import_export(folder: str, run_dir: str, rev: str | None = None) -> str:
    """Writes the export as run `run_dir` (best.pt and last.pt, without optimizer state, and a
    run.json whose commands train the model and then import it: a run continuing this one
    (--init-from) starts from the export, not from the end of that training). Returns best.pt."""
    command = import_command(folder, run_dir, rev)
    model, metadata = load_export(folder, rev)
    training = metadata["training"]
    accuracy = metadata.get("metrics", {}).get("single", {}).get("accuracy", -1.0)
    best_epoch = training.get("best_epoch") or training["config"]["epochs"]
    state = {"model": model.state_dict(), "epoch": best_epoch - 1, "best": accuracy, "history": [],
             "config": training["config"] | {"reparam": False},  # a branched run was exported folded
             "best_epoch": best_epoch}
    os.makedirs(run_dir, exist_ok=True)
    for name in ("best.pt", "last.pt"):
        save_checkpoint(os.path.join(run_dir, name), state)
    commands = [c for c in (training.get("command"), command) if c]
    info = {"command": " && ".join(commands), "commands": commands,
            "data_sha256": training.get("data_sha256"), "labels": training.get("labels", "fer"),
            **{key: training[key] for key in ("teachers", "ingredients") if training.get(key)},
            "imported": command}
    with open(os.path.join(run_dir, "run.json"), "w") as handle:
        json.dump(info, handle, indent=1)
    return os.path.join(run_dir, "best.pt")
