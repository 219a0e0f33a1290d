"""The factory's commands, glued from data, train, metrics and export."""
from __future__ import annotations

import json
import os
from dataclasses import fields

from . import LABELS
from .data import FaceSet, load, load_ferplus


def load_faces(args) -> tuple[FaceSet, str]:
    faces, checksum = load(args.data, args.cache)
    if args.labels != "fer":
        folder = args.data if os.path.isdir(args.data) else os.path.dirname(args.data)
        faces = load_ferplus(os.path.join(folder, "fer2013new.csv"), faces, args.labels.split("-")[1])
    print(f"data: {faces.report.summary()}; sha256 {checksum or '(image folders)'}")
    return faces, checksum


def run_train(args, command: str) -> int:
    from .train import TrainConfig, train

    cfg = TrainConfig(arch=args.arch)
    for f in fields(TrainConfig):
        value = getattr(args, f.name, None)
        if value is not None and f.name != "augment":
            setattr(cfg, f.name, value)
    faces, checksum = load_faces(args)
    training, validation = faces.split("Training"), faces.split("PublicTest")
    if len(training) == 0:
        raise SystemExit("no Training rows: nothing to train on")
    run_dir = os.path.join(args.runs, args.name or args.arch)
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "run.json"), "w") as handle:
        json.dump({"command": command, "data_sha256": checksum, "labels": args.labels,
                   "data_report": faces.report.summary()}, handle, indent=1)
    result = train(cfg, training.images, training.labels, validation.images, validation.labels, run_dir,
                   resume=args.resume, soft_targets=training.soft, stop_after=args.stop_after)
    print(f"best PublicTest accuracy {result['best_val_acc']:.4f}; checkpoints in {run_dir}")
    return 0


def run_evaluate(args) -> int:
    from .evaluate import evaluate_checkpoint

    faces, _ = load_faces(args)
    split = faces.split(args.split)
    out = args.out or os.path.dirname(os.path.abspath(args.checkpoint))
    report = evaluate_checkpoint(args.checkpoint, split.images, split.labels, out)
    for key in ("single", "flip"):
        r = report[key]
        print(f"{args.split} {key:6s}: accuracy {r['accuracy']:.4f}, macro-F1 {r['macro_f1']:.4f}")
    print("recall: " + ", ".join(f"{n} {report['single']['per_class'][n]['recall']:.2f}" for n in LABELS))
    print(f"wrote {out}/metrics.json and pictures")
    return 0


def run_export(args) -> int:
    from .export_tfjs import export_checkpoint

    faces, checksum = load_faces(args)
    split = faces.split("PublicTest")
    export_checkpoint(args.checkpoint, args.out, split.images, split.labels, checksum, args.command)
    print(f"exported {args.checkpoint} to {args.out}")
    return 0
