import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np
import torch

from factory.data import load_csv
from factory.evaluate import evaluate_checkpoint
from factory.tests.synthetic import read_json, tiny_config, write_csv
from factory.train import class_weights, load_trained, lr_at, train

torch.set_num_threads(1)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Training(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        faces = load_csv(write_csv(cls.tmp.name, 40, 10))
        cls.train_set, cls.test_set = faces.split("Training"), faces.split("PublicTest")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_training(self, run_dir, resume=False, stop_after=None, teacher=None, **changes):
        return train(tiny_config(**changes), self.train_set.images, self.train_set.labels, self.test_set.images,
                     self.test_set.labels, run_dir, resume=resume, stop_after=stop_after, log=lambda *_: None,
                     teacher=teacher, progress=False)

    def test_a_few_epochs_beat_chance_by_a_wide_margin(self):
        run_dir = os.path.join(self.tmp.name, "learn")
        result = self.run_training(run_dir)
        self.assertGreater(result["best_val_acc"], 0.6)  # chance is 1/7
        report = evaluate_checkpoint(os.path.join(run_dir, "best.pt"), self.test_set.images, self.test_set.labels,
                                     run_dir)
        self.assertAlmostEqual(report["single"]["accuracy"], result["best_val_acc"], places=5)
        self.assertTrue(os.path.exists(os.path.join(run_dir, "metrics.json")))
        self.assertTrue(os.path.exists(os.path.join(run_dir, "confusion.png")))

    def test_resuming_gives_the_same_weights_as_an_uninterrupted_run(self):
        straight = self.run_training(os.path.join(self.tmp.name, "straight"), epochs=3)
        interrupted = os.path.join(self.tmp.name, "interrupted")
        self.run_training(interrupted, epochs=3, stop_after=2)  # as if killed during epoch 3
        self.assertEqual(torch.load(os.path.join(interrupted, "last.pt"))["epoch"] + 1, 2)
        resumed = self.run_training(interrupted, epochs=3, resume=True)
        self.assertEqual([h["epoch"] for h in resumed["history"]], [1, 2, 3])
        for a, b in zip(straight["model"].state_dict().values(), resumed["model"].state_dict().values()):
            torch.testing.assert_close(a, b)

    def test_a_batch_teacher_sees_every_augmented_batch_and_sets_its_targets(self):
        seen = []

        def teacher(x, labels):  # a "teacher" that always answers class 0
            seen.append(x.clone())
            return torch.nn.functional.one_hot(torch.zeros_like(labels), 7).float()

        with tempfile.TemporaryDirectory() as tmp:
            result = self.run_training(os.path.join(tmp, "run"), epochs=2, teacher=teacher)
        steps = len(self.train_set.images) // 16
        self.assertEqual(len(seen), 2 * steps)
        plain = torch.from_numpy(self.train_set.images).float() / 127.5 - 1
        first = seen[0][0, 0]
        self.assertFalse(any(torch.allclose(first, face, atol=1e-3) for face in plain))  # augmented, not plain
        result["model"].eval()
        with torch.no_grad():  # trained only towards the teacher's answer
            self.assertTrue((result["model"](plain[:32].unsqueeze(1)).argmax(1) == 0).all())

    def test_a_slim_stem_run_is_rebuilt_as_trained(self):
        with tempfile.TemporaryDirectory() as tmp:
            result = self.run_training(os.path.join(tmp, "run"), arch="aer-cnn", width=1.0, stem=4, epochs=1)
            model, state = load_trained(os.path.join(tmp, "run", "best.pt"))
        self.assertEqual((state["config"]["stem"], model.conv1.conv.out_channels), (4, 4))
        faces = torch.from_numpy(self.test_set.images[:8]).float().unsqueeze(1) / 127.5 - 1
        with torch.no_grad():
            torch.testing.assert_close(model(faces), result["model"].eval()(faces))

    def test_a_wrong_stem_is_refused_before_the_data_is_read(self):
        done = subprocess.run([sys.executable, "-m", "factory", "train", "--arch", "deep-emotion", "--stem", "8",
                               "--data", "/nonexistent/fer2013.csv"], cwd=ROOT, capture_output=True, text=True,
                              timeout=900)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("train: --stem applies to mini-xception and aer-cnn, not deep-emotion", done.stderr)

    def test_a_negative_keep_last_is_refused_before_the_data_is_read(self):
        done = subprocess.run([sys.executable, "-m", "factory", "train", "--keep-last", "-3",
                               "--data", "/nonexistent/fer2013.csv"], cwd=ROOT, capture_output=True, text=True,
                              timeout=900)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("train: --keep-last must be 0 or more epochs, got -3", done.stderr)

    def test_class_weights_favour_rare_classes(self):
        labels = np.array([0] * 90 + [1] * 10)
        weights = class_weights(labels, 0.5)
        self.assertGreater(weights[1], weights[0])
        self.assertAlmostEqual(float((weights[:2] * torch.tensor([90.0, 10.0])).sum()), 100.0, places=3)
        self.assertTrue(torch.allclose(class_weights(labels, 0.0)[:2], torch.ones(2)))

    def test_schedule_warms_up_then_decays(self):
        self.assertLess(lr_at(0, 100, 10, 1.0), lr_at(9, 100, 10, 1.0))
        self.assertAlmostEqual(lr_at(10, 100, 10, 1.0), 1.0)
        self.assertAlmostEqual(lr_at(100, 100, 10, 1.0), 0.0)


class KilledRun(unittest.TestCase):
    def test_a_run_killed_mid_epoch_loses_at_most_one_epoch(self):
        with tempfile.TemporaryDirectory() as tmp:
            write_csv(tmp, 150, 5)
            runs = os.path.join(tmp, "runs")
            command = [sys.executable, "-m", "factory", "train", "--data", tmp, "--cache", "", "--runs", runs,
                       "--name", "killed", "--epochs", "6", "--batch", "16"]
            log_path = os.path.join(tmp, "log.txt")
            with open(log_path, "w") as log:
                proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
                last = os.path.join(runs, "killed", "last.pt")
                deadline = time.time() + 120
                while not os.path.exists(last) and time.time() < deadline and proc.poll() is None:
                    time.sleep(0.05)
                time.sleep(0.3)  # well inside the next epoch
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            with open(log_path) as log:
                finished = [json.loads(line) for line in log if line.startswith('{"epoch"')]
            saved = torch.load(last)["epoch"] + 1
            self.assertGreaterEqual(saved, 1)
            self.assertLess(len(finished), 6, "the run finished before it could be killed")
            self.assertEqual(saved, len(finished))  # every finished epoch was checkpointed: at most the running one is lost
            done = subprocess.run(command + ["--resume"], cwd=ROOT, capture_output=True, text=True, timeout=900)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn(f"resumed from {last} after epoch {saved}", done.stdout)
            history = torch.load(last)["history"]
            self.assertEqual([h["epoch"] for h in history], [1, 2, 3, 4, 5, 6])
            self.check_evaluate_and_export(tmp, os.path.join(runs, "killed", "best.pt"))
            self.check_init_from(command, runs)

    def check_init_from(self, command, runs):
        """A new run continuing the finished one for more epochs keeps its history and commands."""
        longer = command[:command.index("--name")] + ["--name", "longer", "--epochs", "8", "--augment-strength", "0.5",
                                                      "--init-from", os.path.join(runs, "killed")]
        done = subprocess.run(longer, cwd=ROOT, capture_output=True, text=True, timeout=900)
        self.assertEqual(done.returncode, 0, done.stderr)
        state = torch.load(os.path.join(runs, "longer", "last.pt"))
        self.assertEqual([h["epoch"] for h in state["history"]], list(range(1, 9)))
        self.assertTrue(os.path.exists(os.path.join(runs, "longer", "best.pt")))
        self.assertEqual(state["config"]["augment"]["rotate"], 5.0)  # the gentler fine-tune is what ran
        commands = read_json(os.path.join(runs, "longer", "run.json"))["commands"]
        self.assertEqual(len(commands), 3)  # the killed run's two, then this one
        self.assertIn("--init-from", commands[-1])

    def check_evaluate_and_export(self, tmp, checkpoint):
        """The other two commands on the trained run, from another working folder (they write
        models/ relative to it)."""
        env = dict(os.environ, PYTHONPATH=ROOT)
        common = ["--data", tmp, "--cache", ""]
        evaluate = subprocess.run([sys.executable, "-m", "factory", "evaluate", checkpoint, "--record", "tiny", *common],
                                  cwd=tmp, env=env, capture_output=True, text=True, timeout=900)
        self.assertEqual(evaluate.returncode, 0, evaluate.stderr)
        self.assertIn("PublicTest single: accuracy", evaluate.stdout)
        recorded = read_json(os.path.join(tmp, "models", "results.json"))["tiny"]
        self.assertIn("--resume", recorded["command"])  # both commands of the killed-and-resumed run
        export = subprocess.run([sys.executable, "-m", "factory", "export", checkpoint, "--out", "models/tiny", *common],
                                cwd=tmp, env=env, capture_output=True, text=True, timeout=900)
        self.assertEqual(export.returncode, 0, export.stderr)
        metadata = read_json(os.path.join(tmp, "models", "tiny", "metadata.json"))
        self.assertEqual(metadata["training"]["command"], recorded["command"])
        self.assertEqual(len(metadata["training"]["data_sha256"]), 64)
        for name in ("model.json", "weights.bin", "parity.json"):
            self.assertTrue(os.path.exists(os.path.join(tmp, "models", "tiny", name)))


if __name__ == "__main__":
    unittest.main()
