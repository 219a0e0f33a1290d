import contextlib
import io
import json
import os
import struct
import subprocess
import tempfile
import unittest
from dataclasses import asdict
from pathlib import Path

import torch

from factory.__main__ import main
from factory.export_tfjs import WEIGHTS_FILE, export_model, write_layers_model
from factory.import_tfjs import load_export, weight_sources
from factory.models import build
from factory.soup import BatchNorm
from factory.tests.synthetic import faces, tiny_config, write_csv
from factory.train import load_trained, predict

torch.set_num_threads(1)
ROOT = Path(__file__).resolve().parents[2]


def trained_looking(arch: str, seed: int, **options) -> torch.nn.Module:
    """Random weights and batch-norm statistics, so that no two weights are alike."""
    torch.manual_seed(seed)
    model = build(arch, **options).eval()
    with torch.no_grad():
        for norm in (m for m in model.modules() if isinstance(m, BatchNorm)):
            norm.running_mean.uniform_(-0.5, 0.5)
            norm.running_var.uniform_(0.5, 2.0)
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.uniform_(-0.2, 0.2)
    return model


def export(model: torch.nn.Module, folder: str, **config) -> None:
    export_model(model, folder, os.path.basename(folder), {
        "architecture": config["arch"],
        "metrics": {"split": "PublicTest", "single": {"accuracy": 0.5}},
        "training": {"command": "the command that trained it", "data_sha256": "abc", "best_epoch": 4,
                     "teachers": [{"checkpoint": "factory/runs/t/best.pt", "command": "the teacher's command"}],
                     "config": asdict(tiny_config(**config))}})


class RoundTrip(unittest.TestCase):
    def test_every_architecture_comes_back_weight_for_weight(self):
        cases = [("mini-xception", {}), ("aer-cnn", {"width": 1.5, "stem": 6}), ("deep-emotion", {})]
        for arch, options in cases:
            with self.subTest(arch=arch), tempfile.TemporaryDirectory() as tmp:
                original = trained_looking(arch, 7, **options)
                export(original, os.path.join(tmp, "m"), arch=arch, **options)
                imported, metadata = load_export(os.path.join(tmp, "m"))
                self.assertEqual(metadata["training"]["command"], "the command that trained it")
                for name, value in original.state_dict().items():
                    if value.is_floating_point():
                        self.assertTrue(torch.equal(imported.state_dict()[name], value), name)

    def test_the_shipped_models_import_and_export_to_the_same_bytes(self):
        for name in ("mini-xception", "attention"):
            with self.subTest(model=name), tempfile.TemporaryDirectory() as tmp:
                folder = ROOT / "models" / name
                model, _ = load_export(str(folder))
                write_layers_model(model, name, tmp)
                self.assertEqual(Path(tmp, WEIGHTS_FILE).read_bytes(), (folder / WEIGHTS_FILE).read_bytes())

    def test_the_probe_maps_every_exported_value_to_one_weight(self):
        tensors, indices = weight_sources(build("aer-cnn", width=1))
        total = sum(t.numel() for t in tensors.values())
        flat = sorted(int(i) for _, index in indices for i in index.ravel())
        self.assertEqual(flat, list(range(total)))


class Refusals(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.folder = os.path.join(self.tmp.name, "m")
        export(trained_looking("mini-xception", 3), self.folder, arch="mini-xception")

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_truncated_weight_file_is_refused(self):
        path = Path(self.folder, WEIGHTS_FILE)
        path.write_bytes(path.read_bytes()[:-40])
        with self.assertRaisesRegex(SystemExit, r"weights.bin has (\d+) values, the model needs (\d+)"):
            load_export(self.folder)

    def test_weights_that_do_not_reproduce_the_parity_outputs_are_refused(self):
        path = Path(self.folder, WEIGHTS_FILE)
        blob = bytearray(path.read_bytes())
        blob[0:4] = struct.pack("<f", 50.0)  # one wrong value in the first kernel
        path.write_bytes(bytes(blob))
        with self.assertRaisesRegex(SystemExit, "differs from .*parity.json"):
            load_export(self.folder)

    def test_a_config_that_does_not_match_the_weights_is_refused(self):
        meta_path = Path(self.folder, "metadata.json")
        metadata = json.loads(meta_path.read_text())
        metadata["training"]["config"]["width"] = 2.0
        meta_path.write_text(json.dumps(metadata))
        with self.assertRaisesRegex(SystemExit, "does not hold the weights of mini-xception"):
            load_export(self.folder)

    def test_an_export_without_a_training_config_is_refused(self):
        meta_path = Path(self.folder, "metadata.json")
        meta_path.write_text(json.dumps({"name": "m"}))
        with self.assertRaisesRegex(SystemExit, "no training config"):
            load_export(self.folder)


class Command(unittest.TestCase):
    def test_an_imported_model_is_a_run_that_predicts_teaches_and_continues(self):
        with tempfile.TemporaryDirectory() as tmp:
            csv = write_csv(tmp, 12, 4)
            runs = os.path.join(tmp, "runs")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                main(["train", "--data", csv, "--cache", os.path.join(tmp, "cache"), "--runs", runs, "--name", "a",
                      "--epochs", "2", "--batch", "16", "--warmup", "1"])
                main(["export", "--data", csv, "--cache", os.path.join(tmp, "cache"), os.path.join(runs, "a", "best.pt"),
                      "--out", os.path.join(tmp, "exported")])
                main(["import", os.path.join(tmp, "exported"), "--runs", runs, "--name", "back"])
            trained, _ = load_trained(os.path.join(runs, "a", "best.pt"))
            imported, state = load_trained(os.path.join(runs, "back", "best.pt"))
            images = faces(2, seed=5)[0]
            torch.testing.assert_close(torch.from_numpy(predict(imported, images)),
                                       torch.from_numpy(predict(trained, images)))
            info = json.loads(Path(runs, "back", "run.json").read_text())
            trained_by = json.loads(Path(runs, "a", "run.json").read_text())["command"]
            # train, then import: a continuation's rebuild starts from the export, as this one did
            self.assertEqual(info["commands"], [trained_by, info["imported"]])
            self.assertEqual(info["command"], f"{trained_by} && {info['imported']}")
            self.assertIn(f"-m factory import {os.path.relpath(os.path.join(tmp, 'exported'))} --name back --runs ",
                          info["imported"])
            self.assertNotIn("--rev", info["imported"])  # a folder outside git: no commit to name
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                main(["train", "--data", csv, "--cache", os.path.join(tmp, "cache"), "--runs", runs, "--name", "c",
                      "--epochs", "3", "--batch", "16", "--warmup", "1", "--init-from", os.path.join(runs, "back"),
                      "--teacher", os.path.join(runs, "back", "best.pt"), "--teach-on", "augmented"])
            continued = torch.load(os.path.join(runs, "c", "last.pt"))
            self.assertEqual([h["epoch"] for h in continued["history"]], list(range(state["epoch"] + 2, 4)))
            self.assertIn("optimizer", continued)

    def in_repo(self):
        if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode != 0:
            self.skipTest("not a git checkout")
        cwd = os.getcwd()
        os.chdir(ROOT)
        self.addCleanup(os.chdir, cwd)

    def test_an_export_from_a_commit_records_that_commit(self):
        self.in_repo()
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        with tempfile.TemporaryDirectory() as tmp:
            with contextlib.redirect_stdout(io.StringIO()):
                main(["import", "models/attention", "--rev", "HEAD", "--runs", tmp, "--name", "shipped"])
            info = json.loads(Path(tmp, "shipped", "run.json").read_text())
        self.assertIn(f"-m factory import models/attention --rev {head} --name shipped", info["imported"])

    def test_a_folder_missing_from_a_commit_is_refused_clearly(self):
        self.in_repo()
        with tempfile.TemporaryDirectory() as tmp, self.assertRaisesRegex(SystemExit, "is not in commit HEAD"):
            main(["import", "models/no-such-model", "--rev", "HEAD", "--runs", tmp, "--name", "x"])


if __name__ == "__main__":
    unittest.main()
