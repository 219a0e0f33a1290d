"""Command line of the model factory: `python3 -m factory {train,soup,evaluate,export,import} ...`.

Run from the repository root with Debian's interpreter (/usr/bin/python3) so torch is found.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import DEFAULT_DATA


def data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", default=DEFAULT_DATA,
                        help="FER2013 csv (.csv or .csv.gz), a folder holding one, or an image-folder tree")
    parser.add_argument("--labels", choices=["fer", "ferplus-majority", "ferplus-soft"], default="fer",
                        help="train on the original labels or on FER+ votes (fer2013new.csv beside the csv)")
    parser.add_argument("--cache", default=os.path.join("factory", ".cache"), help="parsed-csv cache folder")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python3 -m factory", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="train one architecture; resumable")
    data_arguments(train)
    train.add_argument("--arch", default="mini-xception")
    train.add_argument("--name", help="run name (default: the architecture)")
    train.add_argument("--runs", default=os.path.join("factory", "runs"), help="where checkpoints go")
    train.add_argument("--resume", action="store_true", help="continue from the run's last checkpoint")
    train.add_argument("--init-from", metavar="RUN_DIR",
                       help="start a new run from another run's last checkpoint (weights, optimizer, epoch) "
                            "and carry on its schedule, e.g. with more --epochs or a --teacher")
    for option, kind in [("width", float), ("stem", int), ("dropout", float), ("epochs", int), ("batch", int),
                         ("lr", float), ("weight-decay", float), ("warmup", int), ("label-smoothing", float),
                         ("balance", float), ("seed", int)]:
        train.add_argument(f"--{option}", type=kind)
    train.add_argument("--optimizer", choices=["adamw", "sgd"],
                       help="adamw (default) or sgd with --momentum (seed 001: sgd; then --lr defaults to 0.01 "
                            "and --weight-decay, an L2 term, to 5e-4)")
    train.add_argument("--momentum", type=float, help="sgd's momentum (default 0.9)")
    train.add_argument("--members", nargs=2, metavar="CHECKPOINT",
                       help="blend-vgg-resnet: a trained vgg19 and a trained resnet18 checkpoint; both are frozen "
                            "and only the Linear(14, 7) over their logits learns")
    train.add_argument("--reparam", action="store_true", default=None,
                       help="train branched 3x3/1x1/identity layers that fold into the same model (RepVGG)")
    train.add_argument("--augment-strength", type=float, metavar="S",
                       help="scale every augmentation range (rotation, zoom, shift, light, erasing) by S; flips stay")
    train.add_argument("--augment-zoom", type=float, metavar="Z",
                       help="zoom uniform in 1 +- Z (default 0.1, after --augment-strength): 0.3 matches the "
                            "framing error of the app's face detector (docs/finding-faces.md)")
    train.add_argument("--augment-blur", type=float, metavar="P",
                       help="probability of a face resampled from 18-36 px back to 48 (default 0)")
    train.add_argument("--teacher", nargs="+", metavar="CHECKPOINT",
                       help="distil from these trained checkpoints (their flip-averaged mean)")
    train.add_argument("--distill", type=float, default=0.5, help="weight of the teacher in the targets")
    train.add_argument("--teach-on", choices=["faces", "augmented"], default="faces",
                       help="teachers predict the plain faces once (cached), or every augmented batch the "
                            "student sees (consistent targets; one teacher pass per batch)")
    train.add_argument("--temperature", type=float, default=1.0, help="softens the teacher's probabilities")
    train.add_argument("--ferplus-aux", type=float, metavar="W",
                       help="mix FER+ vote shares (fer2013new.csv beside the csv) into the targets with weight W; "
                            "labels, selection and metrics stay FER2013's")
    train.add_argument("--stop-after", type=int, help="stop after this many epochs of this process (resume later)")
    train.add_argument("--keep-last", type=int, metavar="K",
                       help="also keep the weights of the last K epochs (epoch-NNN.pt), to soup the run's tail")
    train.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 is fastest and stable here)")

    evaluate = commands.add_parser("evaluate", help="metrics, confusion matrix and curves of a checkpoint")
    data_arguments(evaluate)
    evaluate.add_argument("checkpoint", nargs="+", help="one checkpoint, or several to evaluate their average (a blend)")
    evaluate.add_argument("--split", default="PublicTest")
    evaluate.add_argument("--out", help="folder for metrics.json and the pictures (default: beside the checkpoint)")
    evaluate.add_argument("--record", metavar="NAME", help="also record the result as row NAME of models/results.json")
    evaluate.add_argument("--ship-blend", metavar="NAME,NAME",
                          help="the checkpoints are the shipped models/NAME,... : write their average's "
                               "metrics to models/blend.json for the app's 'both' choice")

    soup = commands.add_parser("soup", help="average the weights of runs from one starting point and measure "
                                            "batch norm again on the plain Training faces")
    data_arguments(soup)
    soup.add_argument("checkpoint", nargs="+",
                      help="best.pt of runs that share a starting point (--init-from), or one run's "
                           "epoch-NNN.pt (--keep-last)")
    soup.add_argument("--name", required=True, help="the soup's run name")
    soup.add_argument("--runs", default=os.path.join("factory", "runs"), help="where checkpoints go")

    imported = commands.add_parser("import", help="read an exported model (models/NAME) back into a checkpoint, "
                                                  "to teach, continue (--init-from) or soup it")
    imported.add_argument("folder", help="an export folder, e.g. models/attention")
    imported.add_argument("--rev", help="read the folder as it was at this git commit")
    imported.add_argument("--name", required=True, help="the run name it becomes (factory/runs/NAME)")
    imported.add_argument("--runs", default=os.path.join("factory", "runs"), help="where checkpoints go")

    commands.add_parser("report", help="render models/results.json: every run into docs/results.md, the shipped models into README.md")

    export = commands.add_parser("export", help="write a checkpoint as a TF.js LayersModel under models/")
    data_arguments(export)
    export.add_argument("checkpoint")
    export.add_argument("--out", required=True, help="e.g. models/mini-xception")
    export.add_argument("--command", help="the training command to record (default: from the checkpoint)")

    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(getattr(args, "threads", 1) or 1)
    if args.command == "train":
        from .commands import invocation, run_train
        return run_train(args, invocation(argv))
    if args.command == "evaluate":
        from .commands import run_evaluate
        return run_evaluate(args)
    if args.command == "soup":
        from .commands import invocation, run_soup
        return run_soup(args, invocation(argv))
    if args.command == "import":
        from .import_tfjs import import_export
        path = import_export(args.folder, os.path.join(args.runs, args.name), args.rev)
        print(f"wrote {path}")
        return 0
    if args.command == "report":
        from .report import render
        print(render())
        return 0
    from .commands import run_export
    return run_export(args)


if __name__ == "__main__":
    sys.exit(main())
