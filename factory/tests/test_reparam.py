import copy
import os
import tempfile
import unittest

import torch

from factory.data import load_csv
from factory.models import build, parameter_count
from factory.random_export import randomized
from factory.reparam import BranchedConv, BranchedSeparable, fold, overparameterize
from factory.tests.synthetic import tiny_config, write_csv
from factory.train import load_trained, train

torch.set_num_threads(1)


class Folding(unittest.TestCase):
    """The branched training form and its fold compute the same function (eval mode)."""

    def check_fold(self, arch: str):
        branched = randomized(arch, branched=True)
        self.assertTrue(any(isinstance(m, (BranchedConv, BranchedSeparable)) for m in branched.modules()))
        x = torch.randn(6, 1, 48, 48)
        with torch.no_grad():
            expected = branched(x)
            folded = fold(copy.deepcopy(branched))
            got = folded(x)
        self.assertFalse(any(isinstance(m, (BranchedConv, BranchedSeparable)) for m in folded.modules()))
        scale = expected.abs().max().item()  # random batch norms give logits in the hundreds
        self.assertLess((expected - got).abs().max().item(), 1e-4 * scale)  # float32 rounding, amplified by depth
        torch.testing.assert_close(got.softmax(1), expected.softmax(1), atol=1e-4, rtol=0)
        self.assertGreater(expected.softmax(1).std().item(), 0.05)  # not a trivially flat output
        plain = build(arch)
        self.assertEqual(parameter_count(folded), parameter_count(plain))
        self.assertEqual(list(folded.state_dict()), list(plain.state_dict()))  # the exporter's layout

    def test_mini_xception_folds_exactly(self):
        self.check_fold("mini-xception")

    def test_aer_cnn_folds_exactly(self):
        self.check_fold("aer-cnn")

    def test_branches_are_trained_with_their_own_batch_norms(self):
        model = overparameterize(build("mini-xception"))
        self.assertGreater(parameter_count(model), parameter_count(build("mini-xception")))
        stem = model.conv2.conv
        self.assertIsInstance(stem, BranchedConv)
        self.assertIsNotNone(stem.identity)  # 8 -> 8 channels
        self.assertIsNone(model.conv1.conv.identity)  # 1 -> 8 channels


class TrainingBranched(unittest.TestCase):
    def test_a_branched_run_learns_and_loads_folded(self):
        with tempfile.TemporaryDirectory() as tmp:
            faces = load_csv(write_csv(tmp, 40, 10))
            training, test = faces.split("Training"), faces.split("PublicTest")
            result = train(tiny_config(reparam=True), training.images, training.labels, test.images, test.labels,
                           os.path.join(tmp, "run"), log=lambda *_: None, progress=False)
            self.assertGreater(result["best_val_acc"], 0.6)  # chance is 1/7
            model, _ = load_trained(os.path.join(tmp, "run", "last.pt"))
            self.assertEqual(parameter_count(model), parameter_count(build("mini-xception")))
            x = torch.from_numpy(test.images[:8]).float().unsqueeze(1) / 127.5 - 1
            result["model"].eval()
            with torch.no_grad():
                torch.testing.assert_close(model(x), result["model"](x.contiguous(memory_format=torch.channels_last)),
                                           atol=1e-4, rtol=0)


if __name__ == "__main__":
    unittest.main()
