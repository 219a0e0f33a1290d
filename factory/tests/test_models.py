import os
import tempfile
import unittest

import numpy as np
import torch

from factory.attention import affine_sample
from factory.export_tfjs import write_layers_model
from factory.models import ARCHITECTURES, build, parameter_count
from factory.tests.synthetic import read_json

torch.set_num_threads(1)


class Architectures(unittest.TestCase):
    def test_every_architecture_maps_a_face_batch_to_seven_logits(self):
        x = torch.randn(3, 1, 48, 48)
        for arch in ARCHITECTURES:
            with self.subTest(arch=arch):
                self.assertEqual(build(arch).eval()(x).shape, (3, 7))

    def test_mini_xception_has_about_sixty_thousand_parameters(self):
        self.assertTrue(50_000 < parameter_count(build("mini-xception")) < 65_000)

    def test_unknown_architecture_names_the_known_ones(self):
        with self.assertRaisesRegex(ValueError, "mini-xception"):
            build("resnet-9000")

    def test_a_slim_stem_narrows_only_the_two_first_convs(self):
        for arch in ("mini-xception", "aer-cnn"):
            with self.subTest(arch=arch):
                default, slim = build(arch, width=2.5), build(arch, width=2.5, stem=8)
                self.assertEqual((default.conv1.conv.out_channels, slim.conv1.conv.out_channels), (20, 8))
                self.assertEqual(slim.conv2.conv.in_channels, 8)
                self.assertEqual(slim.blocks[0].sepconv1.depthwise.in_channels, 8)
                self.assertEqual([b.sepconv2.pointwise.out_channels for b in slim.blocks],
                                 [b.sepconv2.pointwise.out_channels for b in default.blocks])
                self.assertEqual(slim.eval()(torch.randn(2, 1, 48, 48)).shape, (2, 7))

    def test_stem_is_refused_where_it_means_nothing(self):
        with self.assertRaisesRegex(ValueError, "--stem applies to mini-xception and aer-cnn, not deep-emotion"):
            build("deep-emotion", stem=8)
        with self.assertRaisesRegex(ValueError, "--stem must be at least 1 channel, got 0"):
            build("aer-cnn", stem=0)
        self.assertEqual(build("deep-emotion", stem=None).eval()(torch.randn(1, 1, 48, 48)).shape, (1, 7))


class DeepEmotionWiring(unittest.TestCase):
    """How the wiring was verified: the localization net always sees the raw input; in
    `deep-emotion` the sampler warps the 9x9 feature maps, in `deep-emotion-seq` the 48x48 input."""

    def sampled_shapes(self, arch):
        model = build(arch).eval()
        with torch.no_grad():
            model.localization.fc2.bias.copy_(torch.tensor([0.7, 0.2, 0.1, -0.2, 0.8, 0.0]))
        seen = {}
        # (a forward hook that returns a value replaces the output: these return None)
        model.localization.conv1.register_forward_hook(lambda m, i, o: seen.update(loc_input=i[0]))
        model.conv1.register_forward_hook(lambda m, i, o: seen.update(features_input=i[0]))
        x = torch.rand(2, 1, 48, 48)
        import factory.attention as attention
        original = attention.affine_sample

        def recording_sample(t, theta):
            seen["sampled"] = tuple(t.shape)
            return original(t, theta)

        attention.affine_sample = recording_sample
        try:
            model(x)
        finally:
            attention.affine_sample = original
        return x, seen

    def test_parallel_wiring_warps_the_feature_maps(self):
        x, seen = self.sampled_shapes("deep-emotion")
        self.assertTrue(torch.equal(seen["loc_input"], x))
        self.assertTrue(torch.equal(seen["features_input"], x))
        self.assertEqual(tuple(seen["sampled"])[2:], (9, 9))

    def test_sequential_wiring_warps_the_input(self):
        x, seen = self.sampled_shapes("deep-emotion-seq")
        self.assertTrue(torch.equal(seen["loc_input"], x))
        self.assertEqual(tuple(seen["sampled"])[2:], (48, 48))
        self.assertFalse(torch.equal(seen["features_input"], x))

    def test_transformer_starts_at_the_identity(self):
        model = build("deep-emotion").eval()
        x = torch.rand(2, 1, 48, 48)
        _, theta = model.forward_with_theta(x)
        torch.testing.assert_close(theta, torch.tensor([[1.0, 0, 0, 0, 1, 0]] * 2))
        torch.testing.assert_close(affine_sample(x, theta), x)

    def test_aer_attention_maps_are_gates_at_three_depths(self):
        model = build("aer-cnn").eval()
        _, maps = model.forward_with_maps(torch.rand(2, 1, 48, 48))
        self.assertEqual([tuple(m.shape[2:]) for m in maps], [(22, 22), (11, 11), (6, 6)])
        for m in maps:
            self.assertTrue(bool(((m > 0) & (m < 1)).all()))


class Export(unittest.TestCase):
    def test_layers_model_layout(self):
        with tempfile.TemporaryDirectory() as out:
            model = build("mini-xception")
            size = write_layers_model(model, "mini-xception", out)
            spec = read_json(os.path.join(out, "model.json"))
            self.assertEqual(spec["format"], "layers-model")
            layers = spec["modelTopology"]["config"]["layers"]
            names = [layer["name"] for layer in layers]
            self.assertEqual(len(names), len(set(names)))
            weights = spec["weightsManifest"][0]["weights"]
            for weight in weights:
                self.assertIn(weight["name"].split("/")[0], names)
            floats = sum(int(np.prod(w["shape"])) for w in weights)
            self.assertEqual(size, floats * 4)
            self.assertEqual(os.path.getsize(os.path.join(out, "weights.bin")), size)
            kernel = next(w for w in weights if w["name"] == "block1_sepconv1/depthwise_kernel")
            self.assertEqual(kernel["shape"], [3, 3, 8, 1])  # HWC1, not PyTorch's C1HW
            self.assertEqual(layers[-1]["config"]["activation"], "softmax")


if __name__ == "__main__":
    unittest.main()
