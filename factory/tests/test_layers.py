import unittest

import numpy as np
import torch

from factory.layers import MaxPool2d, SeparableConv2d, tf_same_padding


class SamePadding(unittest.TestCase):
    def test_matches_tensorflow_rules(self):
        # TF: out = ceil(n / s); total = max((out - 1) * s + k - n, 0); extra pixel after.
        self.assertEqual(tf_same_padding(44, 3, 2), (0, 1))  # even size, stride 2: asymmetric
        self.assertEqual(tf_same_padding(11, 3, 2), (1, 1))
        self.assertEqual(tf_same_padding(48, 3, 1), (1, 1))
        self.assertEqual(tf_same_padding(44, 1, 2), (0, 0))

    def test_max_pool_windows_start_at_the_top_left_on_even_sizes(self):
        x = torch.arange(16, dtype=torch.float32).view(1, 1, 4, 4)
        out = MaxPool2d(3, 2)(x)
        # windows rows/cols {0,1,2} and {2,3}: TF picks 10, 11, 14, 15 (PyTorch padding=1 would give 5, 7, 13, 15)
        np.testing.assert_array_equal(out.view(-1).numpy(), [10, 11, 14, 15])

    def test_padded_cells_never_win_a_max_pool(self):
        x = -torch.ones(1, 1, 3, 3)
        self.assertTrue(torch.all(MaxPool2d(3, 2)(x) == -1))

    def test_separable_conv_is_depthwise_then_pointwise(self):
        sep = SeparableConv2d(2, 3)
        x = torch.randn(1, 2, 5, 5)
        manual = torch.nn.functional.conv2d(
            torch.nn.functional.conv2d(torch.nn.functional.pad(x, (1, 1, 1, 1)), sep.depthwise.weight, groups=2),
            sep.pointwise.weight)
        torch.testing.assert_close(sep(x), manual)


if __name__ == "__main__":
    unittest.main()
