import contextlib
import io
import json
import os
import tempfile
import unittest
from pathlib import Path

import torch

from factory.__main__ import main
from factory.models import build
from factory.soup import BatchNorm, average_weights, measure_batch_norm
from factory.tests.synthetic import faces, write_csv
from factory.train import load_trained, predict

torch.set_num_threads(1)


def seeded(arch: str, seed: int, **options) -> torch.nn.Module:
    torch.manual_seed(seed)
    return build(arch, **options).eval()


class Averaging(unittest.TestCase):
    def test_the_soup_holds_the_mean_of_every_weight(self):
        a, b = seeded("mini-xception", 1), seeded("mini-xception", 2)
        with torch.no_grad():  # batch-norm statistics are averaged like the rest
            for i, model in enumerate((a, b)):
                for norm in (m for m in model.modules() if isinstance(m, BatchNorm)):
                    norm.running_mean.fill_(i + 1.0)
        soup = average_weights([a, b]).state_dict()
        for name, value in soup.items():
            if value.is_floating_point():
                torch.testing.assert_close(value, (a.state_dict()[name] + b.state_dict()[name]) / 2)
        means = [v for k, v in soup.items() if k.endswith("running_mean")]
        self.assertTrue(means and all(torch.all(v == 1.5) for v in means))

    def test_the_ingredients_are_left_alone(self):
        a, b = seeded("mini-xception", 1), seeded("mini-xception", 2)
        before = {k: v.clone() for k, v in a.state_dict().items()}
        average_weights([a, b])
        for name, value in a.state_dict().items():
            torch.testing.assert_close(value, before[name])

    def test_refuses_models_of_different_shapes(self):
        with self.assertRaises(SystemExit):
            average_weights([seeded("mini-xception", 1), seeded("mini-xception", 1, width=2)])
        with self.assertRaises(SystemExit):
            average_weights([seeded("mini-xception", 1), seeded("aer-cnn", 1)])


class PreciseBatchNorm(unittest.TestCase):
    def setUp(self):
        self.images = faces(6, seed=3)[0]  # 42 faces: one batch

    def first_norm_input(self, model: torch.nn.Module) -> torch.Tensor:
        norm = next(m for m in model.modules() if isinstance(m, BatchNorm))
        seen = []
        handle = norm.register_forward_hook(lambda _module, inputs, _output: seen.append(inputs[0]))
        predict(model, self.images, batch=len(self.images))
        handle.remove()
        return seen[0]

    def test_statistics_are_those_of_the_given_faces(self):
        model = seeded("mini-xception", 1)
        norm = next(m for m in model.modules() if isinstance(m, BatchNorm))
        with torch.no_grad():
            norm.running_mean.fill_(5.0)
            norm.running_var.fill_(9.0)
        measure_batch_norm(model, self.images)
        seen = self.first_norm_input(model)
        torch.testing.assert_close(norm.running_mean, seen.mean((0, 2, 3)), atol=1e-5, rtol=1e-4)
        torch.testing.assert_close(norm.running_var, seen.var((0, 2, 3), unbiased=True), atol=1e-5, rtol=1e-4)
        self.assertFalse(model.training)
        self.assertEqual(norm.momentum, 0.1)  # training would carry on as before

    def test_dropout_does_not_disturb_the_measure(self):
        runs = []
        for seed in (1, 2):
            torch.manual_seed(7)
            model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.Dropout(0.5), torch.nn.BatchNorm2d(4))
            torch.manual_seed(seed)  # would draw different dropout masks if dropout were on
            measure_batch_norm(model, self.images, batch=16)
            runs.append([t.clone() for k, t in model.state_dict().items() if "running" in k])
        for first, second in zip(*runs):
            torch.testing.assert_close(first, second)


class SoupCommand(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.csv = write_csv(self.tmp.name, 40, 10)

    def tearDown(self):
        self.tmp.cleanup()

    def factory(self, *arguments: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(main([*arguments, "--data", self.csv, "--cache", os.path.join(self.tmp.name, "cache")]), 0)
        return out.getvalue()

    def run_path(self, name: str, file: str = "best.pt") -> str:
        return os.path.join(self.tmp.name, name, file)

    def test_a_soup_of_a_run_and_its_continuation_is_a_model_the_factory_exports(self):
        common = ["--runs", self.tmp.name, "--batch", "16", "--warmup", "1"]
        self.factory("train", "--name", "base", "--epochs", "6", *common)
        self.factory("train", "--name", "more", "--epochs", "8", "--init-from", os.path.join(self.tmp.name, "base"),
                     *common)
        printed = self.factory("soup", self.run_path("base"), self.run_path("more"), "--name", "soup",
                               "--runs", self.tmp.name)
        recorded = [torch.load(self.run_path(run))["history"][-1]["val_acc"] for run in ("base", "more")]
        for run, accuracy in zip(("base", "more"), recorded):
            self.assertIn(f"PublicTest accuracy {accuracy:.4f}  {self.run_path(run)}", printed)

        model, state = load_trained(self.run_path("soup"))
        test_images, test_labels = faces(10, seed=2)  # the csv's PublicTest faces
        accuracy = (predict(model, test_images).argmax(1) == test_labels).mean()
        self.assertGreater(accuracy, 0.6)  # chance is 1/7
        self.assertIn(f"PublicTest accuracy {accuracy:.4f}  {self.run_path('soup')}", printed)
        info = json.loads(Path(self.run_path("soup", "run.json")).read_text())
        self.assertTrue(info["command"].startswith("/usr/bin/python3 -m factory soup "))
        self.assertEqual([i["checkpoint"] for i in info["ingredients"]], [self.run_path("base"), self.run_path("more")])
        self.assertIn("--init-from", info["ingredients"][1]["command"])  # what rebuilds each ingredient
        self.assertEqual(len(info["data_sha256"]), 64)

        out = os.path.join(self.tmp.name, "exported")
        self.factory("export", self.run_path("soup"), "--out", out)
        training = json.loads(Path(os.path.join(out, "metadata.json")).read_text())["training"]
        self.assertEqual(training["command"], info["command"])
        self.assertEqual(training["ingredients"], info["ingredients"])
        self.assertEqual(state["config"]["arch"], "mini-xception")

    def test_the_last_epochs_of_one_run_make_a_tail_soup(self):
        common = ["--runs", self.tmp.name, "--batch", "16", "--warmup", "1"]
        self.factory("train", "--name", "tail", "--epochs", "4", "--keep-last", "2", *common)
        kept = sorted(f for f in os.listdir(os.path.join(self.tmp.name, "tail")) if f.startswith("epoch-"))
        self.assertEqual(kept, ["epoch-003.pt", "epoch-004.pt"])
        last = torch.load(self.run_path("tail", "last.pt"))
        final = torch.load(self.run_path("tail", "epoch-004.pt"))
        self.assertNotIn("optimizer", final)  # only averaged and evaluated, never resumed
        for name, weight in last["model"].items():
            torch.testing.assert_close(final["model"][name], weight)

        tail = [self.run_path("tail", f) for f in kept]
        self.factory("soup", *tail, "--name", "tail-soup", "--runs", self.tmp.name)
        model, _ = load_trained(self.run_path("tail-soup"))
        test_images, test_labels = faces(10, seed=2)
        self.assertGreater((predict(model, test_images).argmax(1) == test_labels).mean(), 0.6)  # chance is 1/7
        info = json.loads(Path(self.run_path("tail-soup", "run.json")).read_text())
        run = json.loads(Path(self.run_path("tail", "run.json")).read_text())
        self.assertEqual({i["command"] for i in info["ingredients"]}, {run["command"]})  # what rebuilds them

    def test_refuses_checkpoints_of_different_architectures(self):
        common = ["--runs", self.tmp.name, "--batch", "16", "--warmup", "1", "--epochs", "1"]
        self.factory("train", "--name", "mini", *common)
        self.factory("train", "--name", "attention", "--arch", "aer-cnn", *common)
        with self.assertRaises(SystemExit):
            self.factory("soup", self.run_path("mini"), self.run_path("attention"), "--name", "bad",
                         "--runs", self.tmp.name)
        self.assertFalse(os.path.exists(self.run_path("bad")))


if __name__ == "__main__":
    unittest.main()
