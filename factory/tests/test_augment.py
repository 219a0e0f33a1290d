import unittest
from dataclasses import replace

import torch

from factory.augment import AugmentConfig, augment

torch.set_num_threads(1)


class Strength(unittest.TestCase):
    def test_scaling_shrinks_every_range_but_keeps_flips(self):
        gentle = AugmentConfig().scaled(0.5)
        full = AugmentConfig()
        for name in ("rotate", "scale", "shift", "brightness", "contrast", "erase"):
            self.assertAlmostEqual(getattr(gentle, name), getattr(full, name) / 2)
        self.assertEqual(gentle.flip, full.flip)

    def test_strength_zero_without_flips_leaves_faces_unchanged(self):
        faces = torch.rand(8, 1, 48, 48, generator=torch.Generator().manual_seed(0)) * 255
        out = augment(faces, AugmentConfig(flip=0.0).scaled(0.0), torch.Generator().manual_seed(1))
        torch.testing.assert_close(out, faces, atol=1e-2, rtol=0)

    def test_full_strength_changes_faces(self):
        faces = torch.rand(8, 1, 48, 48, generator=torch.Generator().manual_seed(0)) * 255
        out = augment(faces, AugmentConfig(flip=0.0), torch.Generator().manual_seed(1))
        self.assertGreater((out - faces).abs().mean().item(), 5.0)

    def test_blur_softens_only_the_chosen_faces(self):
        faces = torch.rand(64, 1, 48, 48, generator=torch.Generator().manual_seed(0)) * 255
        quiet = AugmentConfig(flip=0.0).scaled(0.0)
        torch.testing.assert_close(augment(faces, quiet, torch.Generator().manual_seed(1)), faces, atol=1e-2, rtol=0)
        out = augment(faces, replace(quiet, blur=0.5), torch.Generator().manual_seed(1))
        changed = (out - faces).abs().mean(dim=(1, 2, 3)) > 1.0
        self.assertTrue(10 < changed.sum().item() < 54)  # about half of them
        # A face from fewer pixels loses its fine detail: far less pixel-to-pixel variation than noise.
        texture = (out[changed, :, :, 1:] - out[changed, :, :, :-1]).abs().mean()
        self.assertLess(texture.item(), (faces[:, :, :, 1:] - faces[:, :, :, :-1]).abs().mean().item() / 2)


if __name__ == "__main__":
    unittest.main()
