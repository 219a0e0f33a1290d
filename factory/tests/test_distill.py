import contextlib
import io
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from factory.__main__ import main
from factory.data import load_csv
from factory.distill import OnlineTeacher, cached_teacher, distill_targets, soften
from factory.tests.synthetic import read_json, tiny_config, write_csv
from factory.train import train

torch.set_num_threads(1)


class Targets(unittest.TestCase):
    def test_mix_of_label_and_teacher_sums_to_one(self):
        teacher = np.array([[0.1, 0.6, 0.3], [0.8, 0.1, 0.1]], np.float32)
        targets = distill_targets(np.array([0, 2]), teacher, weight=0.5)
        np.testing.assert_allclose(targets, [[0.55, 0.3, 0.15], [0.4, 0.05, 0.55]], atol=1e-6)
        np.testing.assert_allclose(distill_targets(np.array([1]), teacher[:1], 0.0, smoothing=0.3),
                                   [[0.1, 0.8, 0.1]], atol=1e-6)

    def test_temperature_flattens_and_keeps_the_order(self):
        probs = np.array([[0.7, 0.2, 0.1]], np.float32)
        soft = soften(probs, 2.0)
        self.assertLess(soft[0, 0], 0.7)
        self.assertTrue(soft[0, 0] > soft[0, 1] > soft[0, 2])
        np.testing.assert_allclose(soften(probs, 1.0), probs, atol=1e-6)


class Distilling(unittest.TestCase):
    def setUp(self):
        """Synthetic faces and a teacher trained on them, in a fresh folder per test."""
        self.tmp = tempfile.TemporaryDirectory()
        self.csv = write_csv(self.tmp.name, 40, 10)
        faces = load_csv(self.csv)
        self.training, self.test = faces.split("Training"), faces.split("PublicTest")
        teacher_dir = os.path.join(self.tmp.name, "teacher")
        train(tiny_config(), self.training.images, self.training.labels, self.test.images, self.test.labels,
              teacher_dir, log=lambda *_: None, progress=False)
        with open(os.path.join(teacher_dir, "run.json"), "w") as handle:
            json.dump({"command": "python3 -m factory train --name teacher"}, handle)
        self.teacher_path = os.path.join(teacher_dir, "best.pt")

    def tearDown(self):
        self.tmp.cleanup()

    def train_student(self, *options: str) -> str:
        """A 6-epoch student run through the command line; returns its folder."""
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["train", "--data", self.csv, "--cache", os.path.join(self.tmp.name, "cache"), "--runs",
                  self.tmp.name, "--name", "student", "--epochs", "6", "--batch", "16", "--warmup", "1",
                  "--teacher", self.teacher_path, "--distill", "0.7", *options])
        student_dir = os.path.join(self.tmp.name, "student")
        self.assertGreater(torch.load(os.path.join(student_dir, "best.pt"))["best"], 0.6)  # chance is 1/7
        return student_dir

    def test_a_student_learns_from_a_trained_teacher_through_the_command_line(self):
        student_dir = self.train_student()
        info = read_json(os.path.join(student_dir, "run.json"))
        self.assertEqual(info["teachers"], [{"checkpoint": self.teacher_path,
                                             "command": "python3 -m factory train --name teacher"}])
        probs = np.load(os.path.join(student_dir, "teacher.npy"))
        images = self.training.images
        self.assertEqual(probs.shape, (len(images), 7))
        self.assertGreater((probs.argmax(1) == self.training.labels).mean(), 0.6)
        os.remove(self.teacher_path)  # a resumed run must take the targets from its cache, not the teacher
        np.testing.assert_array_equal(cached_teacher([self.teacher_path], images, student_dir), probs)
        with self.assertRaises(FileNotFoundError):  # other teachers: predicted anew, not the cache
            cached_teacher([self.teacher_path, self.teacher_path], images, student_dir, log=lambda *_: None)

    def test_a_student_taught_on_its_augmented_batches_learns(self):
        teacher = OnlineTeacher([self.teacher_path], weight=1.0)
        x = torch.from_numpy(self.test.images).float().unsqueeze(1) / 127.5 - 1
        targets = teacher(x, torch.from_numpy(self.test.labels))
        torch.testing.assert_close(targets.sum(1), torch.ones(len(x)))
        self.assertGreater((targets.argmax(1).numpy() == self.test.labels).mean(), 0.6)  # the teacher's own view
        student_dir = self.train_student("--teach-on", "augmented")
        self.assertFalse(os.path.exists(os.path.join(student_dir, "teacher.npy")))  # nothing cached


if __name__ == "__main__":
    unittest.main()
