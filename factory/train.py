"""Training loop: resumable (a checkpoint every epoch), seeded, with a progress line."""
from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
import torch.nn.functional as F

from . import LABELS, distributed
from .augment import AugmentConfig, augment, normalize
from .models import build, default_width, parameter_count
from .reparam import fold, overparameterize


@dataclass
class TrainConfig:
    arch: str = "mini-xception"
    width: float | None = None  # None: the architecture's default (models.DEFAULT_WIDTH; 1 for most)
    stem: int | None = None  # channels of the first two convs; None: 8 x width (models.py)
    dropout: float = 0.0
    epochs: int = 60
    batch: int = 64
    lr: float = 3e-3
    weight_decay: float = 0.01
    warmup: int = 2
    label_smoothing: float = 0.1
    balance: float = 0.3  # class weight = (1 / frequency) ** balance; 0 = plain cross-entropy
    seed: int = 1
    reparam: bool = False  # train with branched layers that fold into the same model (reparam.py)
    optimizer: str = "adamw"  # or "sgd" (with momentum; weight decay is then L2 in the gradient)
    momentum: float = 0.9  # sgd only
    members: list[str] | None = None  # blend-vgg-resnet: trained vgg19 and resnet18 checkpoints, frozen
    augment: AugmentConfig = field(default_factory=AugmentConfig)


def pick_device() -> torch.device:
    # CPU by default here; a user with a CUDA build of torch and a GPU gets it automatically
    # (under torchrun: this process's own GPU, LOCAL_RANK).
    return distributed.device()


def class_weights(labels: np.ndarray, power: float) -> torch.Tensor:
    counts = np.bincount(labels, minlength=len(LABELS)).astype(float)
    weights = (counts.sum() / np.maximum(counts, 1)) ** power
    return torch.tensor(weights / (weights * counts).sum() * counts.sum(), dtype=torch.float32)


def lr_at(step: int, total: int, warmup_steps: int, peak: float) -> float:
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(total - warmup_steps, 1)
    return peak * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))


def to_input(images: torch.Tensor) -> torch.Tensor:
    """uint8 N x 48 x 48 -> float N x 1 x 48 x 48 in [-1, 1]."""
    return normalize(images.float().unsqueeze(1))


@torch.no_grad()
def predict(model: torch.nn.Module, images: np.ndarray, flip: bool = False, batch: int = 64) -> np.ndarray:
    """Softmax probabilities; with `flip`, averaged with the mirrored image's. Small channels-last
    batches: on one CPU thread they run ~7x faster than NCHW batches of 512 (cache-sized)."""
    model.eval().to(memory_format=torch.channels_last)
    device = next(model.parameters()).device
    out = []
    for start in range(0, len(images), batch):
        x = to_input(torch.from_numpy(images[start:start + batch])).to(device)
        x = x.contiguous(memory_format=torch.channels_last)
        p = F.softmax(model(x), 1)
        if flip:
            p = (p + F.softmax(model(torch.flip(x, dims=[3])), 1)) / 2
        out.append(p.cpu().numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)), np.float32)


class Progress:
    """One status line: rewritten in place on a terminal, printed every ~10 s into a log."""

    def __init__(self, total: int, prefix: str, show: bool = True):
        self.total, self.prefix, self.start, self.show = total, prefix, time.time(), show
        self.tty, self.last = sys.stderr.isatty(), 0.0

    def update(self, done: int, images: int, loss: float, acc: float) -> None:
        if not self.show:
            return
        now = time.time()
        if not self.tty and now - self.last < 10 and done < self.total:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-6)
        eta = elapsed / max(done, 1) * (self.total - done)
        bar = "#" * int(20 * done / self.total)
        line = (f"{self.prefix} [{bar:<20}] {done}/{self.total} loss {loss:.3f} acc {acc:.3f} "
                f"{images / elapsed:.0f} img/s eta {eta:.0f}s")
        print(("\r" + line) if self.tty else line, end="" if self.tty else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.show and self.tty:
            print(file=sys.stderr)


def save_checkpoint(path: str, state: dict) -> None:
    # Write then rename, so a kill during the write never leaves a broken checkpoint.
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(cfg: TrainConfig, train_images: np.ndarray, train_labels: np.ndarray,
          val_images: np.ndarray, val_labels: np.ndarray, run_dir: str, resume: bool = False,
          soft_targets: np.ndarray | None = None, log=print, stop_after: int | None = None,
          teacher=None, keep_last: int = 0, progress: bool = True) -> dict:
    """Trains and keeps `last.pt` (every epoch) and `best.pt` (best validation accuracy).
    `stop_after` ends this process after that many epochs (the schedule still spans cfg.epochs),
    so a long run can be done in chunks with --resume. `teacher(x, labels)`, if given, makes each
    batch's targets from the augmented batch itself (distill.OnlineTeacher). `keep_last` keeps the
    weights of the schedule's last epochs too (`epoch-NNN.pt`), for a soup of the run's tail.
    `progress=False` drops the progress line (the tests); `log` still gets each epoch's numbers.
    Under torch.distributed (torchrun, distributed.py) each process trains on its share of every
    global batch of cfg.batch faces; only rank 0 logs, measures PublicTest and writes."""
    cfg = resolved(cfg)
    world, main = distributed.world_size(), distributed.is_main()
    batch = distributed.local_batch(cfg.batch)  # this process's share of each batch
    if not main:
        log, progress = (lambda *_: None), False
    os.makedirs(run_dir, exist_ok=True)
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    device = pick_device()
    model = build_model(asdict(cfg))
    if cfg.reparam:
        overparameterize(model)
    last_path, best_path = os.path.join(run_dir, "last.pt"), os.path.join(run_dir, "best.pt")
    if cfg.members:
        if not (resume and os.path.exists(last_path)):  # a resumed run has them in its checkpoint
            load_members(model, cfg.members)
        model.freeze_members()
    model = model.to(device).to(memory_format=torch.channels_last)
    optimizer = make_optimizer(cfg, [p for p in model.parameters() if p.requires_grad])
    weights = class_weights(train_labels, cfg.balance).to(device)
    history: list[dict] = []
    start_epoch, best = 0, -1.0
    if resume and os.path.exists(last_path):
        state = torch.load(last_path, map_location=device)
        model.load_state_dict(state["model"])
        if "optimizer" in state:  # an imported export (import_tfjs.py) has none: the optimizer starts afresh
            saved_with = state.get("config", {}).get("optimizer", "adamw")
            if saved_with != cfg.optimizer:
                raise ValueError(f"{last_path} was trained with --optimizer {saved_with}, not {cfg.optimizer}: "
                                 f"resume it with the same optimizer")
            optimizer.load_state_dict(state["optimizer"])
        start_epoch, best, history = state["epoch"] + 1, state["best"], state["history"]
        log(f"resumed from {last_path} after epoch {start_epoch}")
    if world > 1 and distributed.from_main(start_epoch) != start_epoch:
        raise RuntimeError(f"process {distributed.rank()} sees {run_dir} at epoch {start_epoch}, rank 0 does not: "
                           f"every process reads the run's checkpoint (--runs on a shared filesystem)")
    net = distributed.wrap(model)  # the model itself for one process; DistributedDataParallel for more
    sampler = distributed.sampler(len(train_images), cfg.seed * 10007) if world > 1 else None
    if world > 1:  # the same initial weights everywhere (broadcast by wrap); dropout differs per process
        torch.manual_seed(cfg.seed * 10007 + 7919 * distributed.rank())

    images = torch.from_numpy(train_images)
    labels = torch.from_numpy(train_labels)
    soft = torch.from_numpy(soft_targets) if soft_targets is not None else None
    steps_per_epoch = len(images) // cfg.batch  # the last partial batch is dropped (see factory/README.md)
    total_steps = steps_per_epoch * cfg.epochs
    log(f"{cfg.arch}: {parameter_count(model):,} parameters, {len(images)} training faces, "
        f"{steps_per_epoch} steps/epoch, device {device}"
        + (f", {world} processes of {batch} faces a batch" if world > 1 else ""))

    end_epoch = cfg.epochs if stop_after is None else min(cfg.epochs, start_epoch + stop_after)
    for epoch in range(start_epoch, end_epoch):
        net.train()
        # Seeding per epoch makes a resumed run draw the same batches as an uninterrupted one.
        gen = torch.Generator().manual_seed(cfg.seed * 10007 + epoch)
        if sampler is None:
            order = torch.randperm(len(images), generator=gen)
        else:  # this process's share of one shuffled order, and its own augmentation draws
            sampler.set_epoch(epoch)
            order = torch.tensor(list(sampler))
            gen.manual_seed((cfg.seed * 10007 + epoch) * world + distributed.rank())
        meter = Progress(steps_per_epoch, f"epoch {epoch + 1}/{cfg.epochs}", show=progress)
        seen, loss_sum, correct = 0, 0.0, 0
        for step in range(steps_per_epoch):
            index = order[step * batch:(step + 1) * batch]
            x = augment(images[index].float().unsqueeze(1), cfg.augment, gen)
            x = normalize(x).to(device).contiguous(memory_format=torch.channels_last)
            y = labels[index].to(device)
            for group in optimizer.param_groups:
                group["lr"] = lr_at(epoch * steps_per_epoch + step, total_steps,
                                    cfg.warmup * steps_per_epoch, cfg.lr)
            logits = net(x)
            if soft is not None or teacher is not None:
                target = teacher(x, y) if teacher is not None else soft[index].to(device)
                loss = -(target * F.log_softmax(logits, 1)).sum(1).mean()
            else:
                loss = F.cross_entropy(logits, y, weight=weights, label_smoothing=cfg.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            seen += len(index)
            loss_sum += loss.item() * len(index)
            correct += (logits.argmax(1) == y).sum().item()
            meter.update(step + 1, seen, loss_sum / seen, correct / seen)
        meter.close()
        if world > 1:  # the whole global batch's numbers, as one process would count them
            distributed.sync_buffers(model)
            seen, loss_sum, correct = distributed.total(seen, loss_sum, correct)
            seen, correct = int(seen), int(correct)
        val_acc = val_loss = None
        if main:  # rank 0 measures all of PublicTest, exactly as a single process would
            probs = predict(model, val_images)
            val_acc = float((probs.argmax(1) == val_labels).mean()) if len(val_labels) else 0.0
            val_loss = float(-np.log(np.maximum(probs[np.arange(len(val_labels)), val_labels], 1e-12)).mean()) \
                if len(val_labels) else 0.0
        val_acc, val_loss = distributed.from_main((val_acc, val_loss))
        history.append({"epoch": epoch + 1, "train_loss": loss_sum / seen, "train_acc": correct / seen,
                        "val_loss": val_loss, "val_acc": val_acc, "seconds": time.time() - meter.start})
        log(json.dumps(history[-1]))
        state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                 "best": max(best, val_acc), "history": history, "config": asdict(cfg)}
        if val_acc > best or len(val_labels) == 0:  # nothing to select on: best follows the last epoch
            best = val_acc
            if main:
                save_checkpoint(best_path, state | {"best_epoch": epoch + 1})
        if main:
            save_checkpoint(last_path, state)
        if main and epoch >= cfg.epochs - keep_last:  # no optimizer: these are only averaged and evaluated
            save_checkpoint(os.path.join(run_dir, f"epoch-{epoch + 1:03d}.pt"),
                            {k: v for k, v in state.items() if k != "optimizer"} | {"best_epoch": epoch + 1})
    if main:
        with open(os.path.join(run_dir, "history.json"), "w") as handle:
            json.dump(history, handle, indent=1)
    return {"best_val_acc": best, "history": history, "model": model}


def resolved(cfg: TrainConfig) -> TrainConfig:
    """The config as it is trained and saved: the architecture's default width filled in, and a
    blend's width taken from its members (both must have the same)."""
    from dataclasses import replace

    width = cfg.width
    if cfg.members:
        if cfg.arch != "blend-vgg-resnet":
            raise ValueError(f"--members applies to blend-vgg-resnet, not {cfg.arch}")
        if cfg.reparam:
            raise ValueError("--members (frozen trained nets) cannot be combined with --reparam")
        configs = [member_config(path) for path in cfg.members]
        if len(configs) != 2 or sorted(c["arch"] for c in configs) != ["resnet18", "vgg19"]:
            raise ValueError("--members takes one vgg19 and one resnet18 checkpoint, got "
                             + ", ".join(c["arch"] for c in configs))
        widths = {c["width"] for c in configs}
        if len(widths) != 1 or (width is not None and width not in widths):
            raise ValueError(f"--members: the members' widths {sorted(widths)} must be equal (and equal --width)")
        width = widths.pop()
    if cfg.optimizer not in ("adamw", "sgd"):
        raise ValueError(f"--optimizer must be adamw or sgd, got {cfg.optimizer}")
    return replace(cfg, width=default_width(cfg.arch) if width is None else width)


def member_config(path: str) -> dict:
    if not os.path.exists(path):
        raise ValueError(f"--members: {path} does not exist")
    return torch.load(path, map_location="cpu")["config"]


def load_members(model: torch.nn.Module, paths: list[str]) -> None:
    """Copies trained vgg19 and resnet18 checkpoints (in either order, checked by `resolved`)
    into a blend's members."""
    loaded = {}
    for path in paths:
        member, state = load_trained(path)
        loaded[state["config"]["arch"]] = member
    model.vgg.load_state_dict(loaded["vgg19"].state_dict())
    model.resnet.load_state_dict(loaded["resnet18"].state_dict())


def make_optimizer(cfg: TrainConfig, parameters: list) -> torch.optim.Optimizer:
    if cfg.optimizer == "sgd":  # seed 001: SGD, momentum 0.9, weight decay 5e-4 (L2)
        return torch.optim.SGD(parameters, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay)
    return torch.optim.AdamW(parameters, lr=cfg.lr, weight_decay=cfg.weight_decay)


def run_info(checkpoint: str) -> dict:
    """The run.json beside a checkpoint (its training commands, data checksum, teachers); {} if none."""
    path = os.path.join(os.path.dirname(checkpoint), "run.json")
    if not os.path.exists(path):
        return {}
    with open(path) as handle:
        return json.load(handle)


def build_model(cfg: dict) -> torch.nn.Module:
    """The untrained model a run's config describes (configs older than `stem` have none)."""
    return build(cfg["arch"], width=cfg["width"], dropout=cfg["dropout"], stem=cfg.get("stem"))


def load_trained(path: str, device: str = "cpu") -> tuple[torch.nn.Module, dict]:
    state = torch.load(path, map_location=device)
    cfg = state["config"]
    model = build_model(cfg)
    if cfg.get("reparam"):  # trained branched: fold into the plain layers that are exported
        overparameterize(model).load_state_dict(state["model"])
        return fold(model), state
    model.load_state_dict(state["model"])
    return model.eval(), state
