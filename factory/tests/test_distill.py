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
from factory.distill import cached_teacher, distill_targets, soften
from factory.tests.synthetic import write_csv
from factory.train import TrainConfig, train

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
    def test_a_student_learns_from_a_trained_teacher_through_the_command_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            csv = write_csv(tmp, 40, 10)
            faces = load_csv(csv)
            training, test = faces.split("Training"), faces.split("PublicTest")
            teacher_dir = os.path.join(tmp, "teacher")
            train(TrainConfig(epochs=6, batch=16, warmup=1), training.images, training.labels, test.images,
                  test.labels, teacher_dir, log=lambda *_: None)
            with open(os.path.join(teacher_dir, "run.json"), "w") as handle:
                json.dump({"command": "python3 -m factory train --name teacher"}, handle)
            teacher_path = os.path.join(teacher_dir, "best.pt")
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                main(["train", "--data", csv, "--cache", os.path.join(tmp, "cache"), "--runs", tmp,
                      "--name", "student", "--epochs", "6", "--batch", "16", "--warmup", "1",
                      "--teacher", teacher_path, "--distill", "0.7"])
            student_dir = os.path.join(tmp, "student")
            self.assertGreater(torch.load(os.path.join(student_dir, "best.pt"))["best"], 0.6)  # chance is 1/7
            info = json.load(open(os.path.join(student_dir, "run.json")))
            self.assertEqual(info["teachers"], [{"checkpoint": teacher_path,
                                                 "command": "python3 -m factory train --name teacher"}])
            probs = np.load(os.path.join(student_dir, "teacher.npy"))
            self.assertEqual(probs.shape, (len(training.images), 7))
            self.assertGreater((probs.argmax(1) == training.labels).mean(), 0.6)
            os.remove(teacher_path)  # a resumed run must take the targets from its cache, not the teacher
            np.testing.assert_array_equal(cached_teacher([teacher_path], training.images, student_dir), probs)
            with self.assertRaises(FileNotFoundError):  # other teachers: predicted anew, not the cache
                cached_teacher([teacher_path, teacher_path], training.images, student_dir, log=lambda *_: None)


if __name__ == "__main__":
    unittest.main()
