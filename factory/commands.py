"""The factory's commands, glued from data, train, metrics and export."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, fields, replace

import numpy as np

from . import LABELS, distributed
from .data import FaceSet, load, load_ferplus


def load_faces(args) -> tuple[FaceSet, str]:
    with distributed.main_first():  # under torchrun rank 0 writes the parsed-csv cache, the others read it
        faces, checksum = load(args.data, args.cache)
    if args.labels != "fer":
        folder = args.data if os.path.isdir(args.data) else os.path.dirname(args.data)
        faces = load_ferplus(os.path.join(folder, "fer2013new.csv"), faces, args.labels.split("-")[1])
    say(f"data: {faces.report.summary()}; sha256 {checksum or '(image folders)'}")
    return faces, checksum


def say(*text) -> None:
    """print, by one process only when torchrun runs several."""
    if distributed.is_main():
        print(*text)


def run_train(args, command: str) -> int:
    """Trains; under torchrun (WORLD_SIZE > 1) as one of several data-parallel processes."""
    distributed.init()
    try:
        return train_command(args, command)
    finally:
        distributed.cleanup()


def train_command(args, command: str) -> int:
    from .train import TrainConfig, build_model, resolved, train

    cfg = TrainConfig(arch=args.arch)
    for f in fields(TrainConfig):
        value = getattr(args, f.name, None)
        if value is not None and f.name != "augment":
            setattr(cfg, f.name, value)
    if getattr(args, "augment_strength", None) is not None:
        cfg.augment = cfg.augment.scaled(args.augment_strength)
    if getattr(args, "augment_zoom", None) is not None:
        cfg.augment = replace(cfg.augment, scale=args.augment_zoom)
    if getattr(args, "augment_blur", None) is not None:
        cfg.augment = replace(cfg.augment, blur=args.augment_blur)
    if cfg.optimizer == "sgd":  # seed 001's recipe, unless told otherwise (AdamW's defaults would not suit)
        cfg.lr = 0.01 if getattr(args, "lr", None) is None else cfg.lr
        cfg.weight_decay = 5e-4 if getattr(args, "weight_decay", None) is None else cfg.weight_decay
    try:  # a wrong --arch, --stem, --optimizer or --members is said before minutes of loading data
        build_model(asdict(resolved(cfg)))
        distributed.local_batch(cfg.batch)
    except ValueError as error:
        raise SystemExit(f"train: {error}")
    if (getattr(args, "keep_last", None) or 0) < 0:
        raise SystemExit(f"train: --keep-last must be 0 or more epochs, got {args.keep_last}")
    faces, checksum = load_faces(args)
    training, validation = faces.split("Training"), faces.split("PublicTest")
    if len(training) == 0:
        raise SystemExit("no Training rows: nothing to train on")
    if len(validation) == 0:
        say("warning: no PublicTest rows: models cannot be selected on PublicTest; best.pt is the last epoch")
    run_dir = os.path.join(args.runs, args.name or args.arch)
    if getattr(args, "init_from", None):
        args.resume = True  # and a re-run of the same command resumes this run
    with distributed.main_first():  # only rank 0 writes the run's folder; the others then read it
        if distributed.is_main():
            write_run_info(args, command, run_dir, checksum, faces)
    soft, online = training.soft, None
    if getattr(args, "teacher", None):
        if soft is not None:
            raise SystemExit("--teacher cannot be combined with --labels ferplus-soft")
        from .distill import OnlineTeacher, cached_teacher, distill_targets
        if getattr(args, "teach_on", "faces") == "augmented":
            online = OnlineTeacher(args.teacher, args.distill, args.temperature, cfg.label_smoothing)
        else:
            with distributed.main_first():  # rank 0 predicts and caches; the others read its cache
                teacher = cached_teacher(args.teacher, training.images, run_dir, log=say)
            soft = distill_targets(training.labels, teacher, args.distill, args.temperature, cfg.label_smoothing)
    if getattr(args, "ferplus_aux", None):
        soft = ferplus_targets(args, training, soft, cfg.label_smoothing, online is not None)
    result = train(cfg, training.images, training.labels, validation.images, validation.labels, run_dir,
                   resume=args.resume, soft_targets=soft, stop_after=args.stop_after, teacher=online,
                   keep_last=getattr(args, "keep_last", None) or 0)
    if len(validation):
        say(f"best PublicTest accuracy {result['best_val_acc']:.4f}; checkpoints in {run_dir}")
    else:
        say(f"done (PublicTest is empty: nothing measured); checkpoints in {run_dir}")
    return 0


def ferplus_targets(args, training: FaceSet, soft, smoothing: float, online: bool):
    """(1 - W) x the targets so far + W x the face's FER+ vote shares; a face without votes keeps
    its targets. FER+ is a second opinion from ten annotators, not a replacement: labels stay FER2013's."""
    from .distill import distill_targets
    if args.labels != "fer" or online:
        raise SystemExit("--ferplus-aux mixes FER+ votes into FER2013's labels: use it with --labels fer and "
                         "without --teach-on augmented")
    if not 0 < args.ferplus_aux <= 1:
        raise SystemExit(f"--ferplus-aux must be in (0, 1], got {args.ferplus_aux}")
    folder = args.data if os.path.isdir(args.data) else os.path.dirname(args.data)
    voted = load_ferplus(os.path.join(folder, "fer2013new.csv"), training, "soft")
    votes = distill_targets(training.labels, np.zeros((len(training), len(LABELS)), np.float32), 0.0, 1.0, smoothing)
    base = votes.copy() if soft is None else soft
    where = np.searchsorted(training.rows, voted.rows)  # rows are ascending within a split
    votes[where] = voted.soft
    mixed = base.copy()
    mixed[where] = (1 - args.ferplus_aux) * base[where] + args.ferplus_aux * votes[where]
    say(f"FER+ votes mixed into {len(where)} of {len(training)} training targets at weight {args.ferplus_aux}")
    return mixed.astype(np.float32)


def write_run_info(args, command: str, run_dir: str, checksum: str, faces: FaceSet) -> None:
    """The run's folder and its run.json (--init-from: the run it continues, copied first)."""
    os.makedirs(run_dir, exist_ok=True)
    info_path = os.path.join(run_dir, "run.json")
    if getattr(args, "init_from", None) and not os.path.exists(os.path.join(run_dir, "last.pt")):
        start_from(args.init_from, run_dir)
    info = {"commands": []}
    if args.resume and os.path.exists(info_path):
        with open(info_path) as handle:
            info = json.load(handle)
    # A resumed run appends its command: together they reproduce the run (epochs are seeded).
    info.update(data_sha256=checksum, labels=args.labels, data_report=faces.report.summary())
    info["commands"].append(command)
    if getattr(args, "teacher", None):  # a distilled model is rebuilt by rebuilding its teachers first
        known = info.setdefault("teachers", [])  # every stage's teachers (see --init-from)
        known += [record for record in map(teacher_record, args.teacher) if record not in known]
    info["command"] = " && ".join(info["commands"])
    with open(info_path, "w") as handle:
        json.dump(info, handle, indent=1)


def run_soup(args, command: str) -> int:
    from .evaluate import evaluate_model
    from .soup import make_soup
    from .train import load_trained

    faces, _ = load_faces(args)
    path = make_soup(args.checkpoint, faces.split("Training").images, os.path.join(args.runs, args.name), command)
    validation = faces.split("PublicTest")
    if len(validation):
        for checkpoint in args.checkpoint:  # as recorded when each was saved: a tail soup has many
            print(f"PublicTest accuracy {recorded_accuracy(checkpoint)}  {checkpoint}")
        accuracy = evaluate_model(load_trained(path)[0], validation.images, validation.labels)["single"]["accuracy"]
        print(f"PublicTest accuracy {accuracy:.4f}  {path}")
    print(f"wrote {path}")
    return 0


def recorded_accuracy(checkpoint: str) -> str:
    """The PublicTest accuracy a checkpoint's run measured at its epoch (an import's: its export's)."""
    import torch

    state = torch.load(checkpoint, map_location="cpu")
    accuracy = state["history"][-1]["val_acc"] if state.get("history") else state.get("best")
    return f"{accuracy:.4f}" if accuracy is not None and accuracy >= 0 else "unknown"


def start_from(source_dir: str, run_dir: str) -> None:
    """A new run that continues another: its checkpoints, and its commands (which rebuild it)."""
    import shutil

    source = os.path.join(source_dir, "last.pt")
    if not os.path.exists(source):
        raise SystemExit(f"--init-from: {source} does not exist")
    shutil.copyfile(source, os.path.join(run_dir, "last.pt"))
    if os.path.exists(os.path.join(source_dir, "best.pt")):  # the best epoch so far may be the source's
        shutil.copyfile(os.path.join(source_dir, "best.pt"), os.path.join(run_dir, "best.pt"))
    source_info = os.path.join(source_dir, "run.json")
    if os.path.exists(source_info):
        shutil.copyfile(source_info, os.path.join(run_dir, "run.json"))


def invocation(argv: list[str] | None = None) -> str:
    """The command line as it is recorded: what rebuilds a model or a measurement."""
    import shlex
    import sys

    return launcher() + " -m factory " + shlex.join(sys.argv[1:] if argv is None else argv)


def launcher() -> str:
    """How this process was started: plain Python, or torchrun with its shape (distributed.py)."""
    world, local = int(os.environ.get("WORLD_SIZE", "1")), int(os.environ.get("LOCAL_WORLD_SIZE", "0"))
    if world <= 1:
        return "/usr/bin/python3"
    local = local or world
    return "torchrun " + (f"--nnodes={world // local} " if world > local else "") + f"--nproc_per_node={local}"


def teacher_record(checkpoint: str) -> dict:
    from .train import run_info

    return {"checkpoint": checkpoint, "command": run_info(checkpoint).get("command")}


def run_evaluate(args) -> int:
    from .evaluate import evaluate_checkpoint

    faces, _ = load_faces(args)
    split = faces.split(args.split)
    first = os.path.dirname(os.path.abspath(args.checkpoint[0]))
    out = args.out or (first if len(args.checkpoint) == 1 else os.path.join(os.path.dirname(first), "blend"))
    report = evaluate_checkpoint(args.checkpoint, split.images, split.labels, out)
    for key in ("single", "flip"):
        r = report[key]
        print(f"{args.split} {key:6s}: accuracy {r['accuracy']:.4f}, macro-F1 {r['macro_f1']:.4f}")
    print("recall: " + ", ".join(f"{n} {report['single']['per_class'][n]['recall']:.2f}" for n in LABELS))
    print(f"wrote {out}/metrics.json and pictures")
    if args.record:
        record_result(args.record, args.checkpoint, report)
        print(f"recorded as '{args.record}' in models/results.json")
    if getattr(args, "ship_blend", None):
        from .blend import ship_blend
        from .export_tfjs import brief_metrics
        metrics = {"split": args.split, **{kind: brief_metrics(r) for kind, r in report.items()}}
        print(f"wrote {ship_blend(args.ship_blend.split(','), args.checkpoint, metrics, invocation())}")
    return 0


def record_result(name: str, checkpoints: list[str], report: dict) -> None:
    import tempfile

    from .export_tfjs import brief_metrics, write_layers_model
    from .models import parameter_count
    from .report import record
    from .train import load_trained, run_info

    loaded = [load_trained(path) for path in checkpoints]
    size = 0
    with tempfile.TemporaryDirectory() as tmp:  # the bytes a TF.js export takes
        for i, (model, _) in enumerate(loaded):
            size += write_layers_model(model, name, os.path.join(tmp, str(i)))
    teachers = ingredients = None
    if len(checkpoints) == 1:
        info = run_info(checkpoints[0])
        command, teachers, ingredients = info.get("command"), info.get("teachers"), info.get("ingredients")
    else:  # a blend: the command that averaged the trained runs
        command = invocation()
    states = [state for _, state in loaded]
    brief = {kind: brief_metrics(metrics, confusion=False) for kind, metrics in report.items()}
    record(name, {"architecture": " + ".join(s["config"]["arch"] for s in states),
                  "parameters": sum(parameter_count(model) for model, _ in loaded), "sizeBytes": size,
                  "epochs": [s["config"]["epochs"] for s in states] if len(states) > 1 else states[0]["config"]["epochs"],
                  "best_epoch": states[0].get("best_epoch") if len(states) == 1 else None,
                  "command": command, **({"teachers": teachers} if teachers else {}),
                  **({"ingredients": ingredients} if ingredients else {}), **brief})


def run_export(args) -> int:
    from .export_tfjs import export_checkpoint

    faces, checksum = load_faces(args)
    split = faces.split("PublicTest")
    export_checkpoint(args.checkpoint, args.out, split.images, split.labels, checksum, args.command)
    print(f"exported {args.checkpoint} to {args.out}")
    return 0
