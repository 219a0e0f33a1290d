"""The seed systems of issue #23: msff-cnn and drf-msam (seed 000), vgg19, resnet18 and their
blend (seed 001), prior-attention (seed 003). Their TF.js parity is checked by
tests/parity.test.ts (random_export exports every architecture)."""
import contextlib
import io
import os
import tempfile
import unittest
from dataclasses import asdict

import torch

from factory.__main__ import main
from factory.classic import BlendVggResnet
from factory.data import load_csv
from factory.export_tfjs import export_model, keras_model
from factory.import_tfjs import load_export
from factory.layers import AvgPool2d, Conv2d
from factory.models import build, parameter_count
from factory.multiscale import DynamicReceptiveField
from factory.prior import EYES, MOUTH
from factory.random_export import randomized
from factory.reparam import fold, overparameterize
from factory.tests.synthetic import tiny_config, write_csv
from factory.train import TrainConfig, load_trained, resolved, train

torch.set_num_threads(1)
SEED_SYSTEMS = ("msff-cnn", "drf-msam", "vgg19", "resnet18", "blend-vgg-resnet", "prior-attention")


def multiply_adds(model: torch.nn.Module) -> int:
    total = 0

    def count(module, _, out):
        nonlocal total
        if isinstance(module, torch.nn.Conv2d):
            total += out[0].numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, torch.nn.Linear):
            total += module.in_features * module.out_features

    hooks = [m.register_forward_hook(count) for m in model.modules()]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 1, 48, 48))
    for hook in hooks:
        hook.remove()
    return total


class Sizes(unittest.TestCase):
    def test_defaults_are_browser_sized(self):
        """Each default costs at most what the shipped AER-CNN costs twice over (23M multiply-adds)."""
        for arch in SEED_SYSTEMS:
            with self.subTest(arch=arch):
                model = build(arch, width=None)
                self.assertLess(parameter_count(model), 600_000)
                self.assertLess(multiply_adds(model), 50_000_000)

    def test_width_one_is_the_real_vgg19_and_resnet18(self):
        vgg, resnet = build("vgg19", width=1.0), build("resnet18", width=1.0)
        self.assertEqual([c.conv.out_channels for c in vgg.convs],
                         [64, 64, 128, 128, 256, 256, 256, 256] + [512] * 8)
        # 9 x (the 16 convs' in x out channels) + batch norms + Linear(512, 7): torchvision's
        # vgg19_bn features less their conv biases (batch norm follows) and two of three input channels.
        self.assertEqual(parameter_count(vgg), 20_032_327)
        self.assertEqual(sum(isinstance(m, torch.nn.Conv2d) for m in resnet.modules()), 1 + 16 + 3)
        # torchvision's resnet18 without its fc (11,176,512), a 3x3 grey stem instead of the 7x7 RGB
        # one (576 weights, not 9,408) and Linear(512, 7).
        self.assertEqual(parameter_count(resnet), 11_176_512 - 9_408 + 576 + 512 * 7 + 7)

    def test_no_width_given_means_the_architectures_default(self):
        self.assertEqual(resolved(TrainConfig(arch="vgg19")).width, 0.125)
        self.assertEqual(resolved(TrainConfig(arch="aer-cnn")).width, 1.0)
        self.assertEqual(resolved(TrainConfig(arch="resnet18", width=1.0)).width, 1.0)


class Layers(unittest.TestCase):
    def test_a_dilated_same_conv_keeps_the_size_and_refuses_a_stride(self):
        conv = Conv2d(2, 3, 3, dilation=2)
        self.assertEqual(conv(torch.randn(1, 2, 11, 12)).shape, (1, 3, 11, 12))
        with self.assertRaisesRegex(ValueError, "dilation or a stride"):
            Conv2d(2, 3, 3, stride=2, dilation=2)

    def test_average_pooling_leaves_the_padding_out_of_the_mean(self):
        x = torch.arange(16.0).view(1, 1, 4, 4)
        y = AvgPool2d(3)(x)
        self.assertAlmostEqual(float(y[0, 0, 0, 0]), float(x[0, 0, :2, :2].mean()))  # 4 cells, not 9
        self.assertAlmostEqual(float(y[0, 0, 1, 1]), float(x[0, 0, :3, :3].mean()))

    def test_dilated_convs_are_not_branched_by_reparam(self):
        for arch in ("msff-cnn", "drf-msam", "vgg19", "prior-attention"):
            with self.subTest(arch=arch):
                model = overparameterize(build(arch))
                dilated = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d) and m.dilation != (1, 1)]
                self.assertTrue(all(m.kernel_size == (3, 3) for m in dilated))
                model.train()(torch.randn(4, 1, 48, 48))  # batch statistics move away from the defaults
                x = torch.randn(2, 1, 48, 48)
                model.eval()
                with torch.no_grad():
                    branched = model(x)
                    torch.testing.assert_close(fold(model)(x), branched, atol=1e-5, rtol=1e-5)


class DynamicReceptiveFieldLayer(unittest.TestCase):
    def test_each_channel_mixes_its_two_branches_by_a_softmax_that_follows_the_input(self):
        torch.manual_seed(0)
        layer = DynamicReceptiveField("drf", 4, 6).eval()
        with torch.no_grad():
            layer.select.weight.mul_(10)
            x1, x2 = torch.randn(1, 4, 12, 12), 3 * torch.randn(1, 4, 12, 12) + 1
            near, far = layer.near(x1), layer.far(x1)
            w = layer.branch_weights(near, far)
            torch.testing.assert_close(w.sum(-1), torch.ones(1, 6))
            torch.testing.assert_close(layer(x1), near * w[:, :, 0, None, None] + far * w[:, :, 1, None, None])
            other = layer.branch_weights(layer.near(x2), layer.far(x2))
        self.assertGreater(float((w - other).abs().max()), 0.05)  # another face, another receptive field

    def test_the_far_branch_sees_twice_as_far(self):
        layer = DynamicReceptiveField("drf", 1, 1)
        self.assertEqual((layer.near.conv.dilation, layer.far.conv.dilation), ((1, 1), (2, 2)))

    def test_the_exported_softmax_runs_along_the_last_axis(self):
        """TF.js refuses a softmax along any other axis."""
        topology, _ = keras_model(build("drf-msam").eval(), "drf-msam")
        softmaxes = [layer for layer in topology["config"]["layers"] if layer["class_name"] == "Softmax"]
        self.assertEqual(len(softmaxes), 3)
        self.assertTrue(all(layer["config"]["axis"] == -1 for layer in softmaxes))

    def test_the_attention_maps_are_named_for_the_apps_heatmap(self):
        """src/lib/explain.ts shows every sigmoid map layer named attention<k>_map."""
        model = build("drf-msam").eval()
        _, maps = model.forward_with_maps(torch.rand(2, 1, 48, 48))
        self.assertEqual([tuple(m.shape[1:]) for m in maps], [(1, 24, 24), (1, 12, 12), (1, 6, 6)])
        topology, _ = keras_model(model, "drf-msam")
        named = [layer["name"] for layer in topology["config"]["layers"] if layer["name"].endswith("_map")]
        self.assertEqual(named, ["attention1_map", "attention2_map", "attention3_map"])


class PriorAttention(unittest.TestCase):
    def test_each_block_branch_sees_only_its_block(self):
        model = build("prior-attention").eval()
        x = torch.randn(1, 1, 48, 48)
        changed = x.clone()
        changed[:, :, EYES[0][1]:, :] = 5.0  # below the eyes block: only the face and mouth branches see it
        from factory.prior import crop
        with torch.no_grad():
            torch.testing.assert_close(model.eyes(crop(changed, EYES)), model.eyes(crop(x, EYES)))
            self.assertFalse(torch.allclose(model.mouth(crop(changed, MOUTH)), model.mouth(crop(x, MOUTH))))
        self.assertEqual(crop(x, EYES).shape[2:], (20, 48))
        self.assertEqual(crop(x, MOUTH).shape[2:], (18, 32))

    def test_the_exported_model_cuts_the_same_blocks(self):
        topology, _ = keras_model(build("prior-attention").eval(), "prior-attention")
        crops = {layer["name"]: layer["config"]["cropping"] for layer in topology["config"]["layers"]
                 if layer["class_name"] == "Cropping2D"}
        self.assertEqual(crops, {"eyes_crop": [[8, 20], [0, 0]], "mouth_crop": [[28, 2], [8, 8]]})


class ExportAndImport(unittest.TestCase):
    def test_every_seed_system_comes_back_weight_for_weight(self):
        """The exports are plain rearrangements of the weights (no derived values), so a trained
        model can be imported again (factory import)."""
        for arch in SEED_SYSTEMS:
            with self.subTest(arch=arch), tempfile.TemporaryDirectory() as tmp:
                original = randomized(arch)
                config = asdict(resolved(tiny_config(arch=arch)))
                export_model(original, tmp, arch, {"architecture": arch, "training": {"config": config}})
                imported, _ = load_export(tmp)
                for name, value in original.state_dict().items():
                    if value.is_floating_point():
                        self.assertTrue(torch.equal(imported.state_dict()[name], value), name)


class Training(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.csv = write_csv(cls.tmp.name, 40, 10)
        faces = load_csv(cls.csv)
        cls.train_set, cls.test_set = faces.split("Training"), faces.split("PublicTest")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def factory(self, *arguments):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(main(["train", "--data", self.csv, "--cache", "", "--runs", self.tmp.name, *arguments]), 0)
        return out.getvalue()

    def test_each_new_architecture_learns(self):
        for arch in ("msff-cnn", "drf-msam", "prior-attention"):
            with self.subTest(arch=arch):
                result = train(tiny_config(arch=arch, width=0.5, epochs=4), self.train_set.images,
                               self.train_set.labels, self.test_set.images, self.test_set.labels,
                               os.path.join(self.tmp.name, arch), log=lambda *_: None, progress=False)
                self.assertGreater(result["best_val_acc"], 0.3)  # chance is 1/7

    def test_sgd_with_momentum_learns_and_resumes(self):
        self.factory("--arch", "vgg19", "--width", "0.0625", "--epochs", "3", "--batch", "16", "--name", "vgg",
                     "--optimizer", "sgd", "--lr", "0.05", "--stop-after", "2")
        self.factory("--arch", "vgg19", "--width", "0.0625", "--epochs", "3", "--batch", "16", "--name", "vgg",
                     "--optimizer", "sgd", "--lr", "0.05", "--resume")
        state = torch.load(os.path.join(self.tmp.name, "vgg", "last.pt"))
        self.assertEqual(state["config"]["optimizer"], "sgd")
        self.assertEqual(state["config"]["weight_decay"], 5e-4)  # seed 001's, when sgd is asked for
        group = state["optimizer"]["param_groups"][0]
        self.assertEqual((group["momentum"], group["weight_decay"]), (0.9, 5e-4))
        self.assertTrue(all("momentum_buffer" in s for s in state["optimizer"]["state"].values()))
        self.assertEqual([h["epoch"] for h in state["history"]], [1, 2, 3])
        self.assertGreater(state["best"], 0.3)
        with self.assertRaisesRegex(ValueError, "trained with --optimizer sgd, not adamw"):
            self.factory("--arch", "vgg19", "--width", "0.0625", "--epochs", "4", "--batch", "16", "--name", "vgg",
                         "--resume")

    def test_the_blend_learns_only_its_linear_over_two_frozen_members(self):
        common = ["--width", "0.0625", "--epochs", "2", "--batch", "16"]
        self.factory("--arch", "vgg19", "--name", "m-vgg", *common)
        self.factory("--arch", "resnet18", "--name", "m-resnet", *common)
        members = [os.path.join(self.tmp.name, name, "best.pt") for name in ("m-resnet", "m-vgg")]  # any order
        self.factory("--arch", "blend-vgg-resnet", "--name", "blend", "--epochs", "2", "--batch", "16",
                     "--members", *members)
        blend, state = load_trained(os.path.join(self.tmp.name, "blend", "best.pt"))
        self.assertIsInstance(blend, BlendVggResnet)
        self.assertEqual(state["config"]["width"], 0.0625)  # taken from the members
        vgg, _ = load_trained(members[1])
        resnet, _ = load_trained(members[0])
        for member, trained in ((blend.vgg, vgg), (blend.resnet, resnet)):
            for name, value in trained.state_dict().items():  # weights and batch-norm statistics
                self.assertTrue(torch.equal(member.state_dict()[name], value), name)
        eye = torch.eye(7) / 2
        self.assertFalse(torch.allclose(blend.fc.weight, torch.cat([eye, eye], 1)))  # the Linear learnt
        topology, _ = keras_model(blend, "blend")
        names = [layer["name"] for layer in topology["config"]["layers"]]
        self.assertIn("vgg_block5_conv4", names)
        self.assertIn("resnet_stage4_block2_conv2", names)
        self.assertEqual(names[-1], "predictions")

    def test_wrong_members_are_refused_before_the_data_is_read(self):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, (arch, width) in enumerate((("vgg19", 0.0625), ("resnet18", 0.125), ("vgg19", 0.0625))):
                paths.append(os.path.join(tmp, f"{i}.pt"))
                torch.save({"config": asdict(TrainConfig(arch=arch, width=width))}, paths[-1])
            for members, problem in (((paths[0], paths[1]), "widths"), ((paths[0], paths[2]), "one vgg19 and one")):
                with self.subTest(problem=problem):
                    with self.assertRaisesRegex(SystemExit, problem):
                        main(["train", "--arch", "blend-vgg-resnet", "--members", *members,
                              "--data", "/nonexistent/fer2013.csv"])
            with self.assertRaisesRegex(ValueError, "applies to blend-vgg-resnet"):
                resolved(TrainConfig(arch="vgg19", members=paths[:2]))

if __name__ == "__main__":
    unittest.main()
