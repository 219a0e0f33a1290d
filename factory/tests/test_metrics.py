import unittest

import numpy as np

from factory.metrics import summarize


class Metrics(unittest.TestCase):
    def test_known_confusion(self):
        labels = np.array([0, 0, 1, 1, 1, 2])
        predicted = np.array([0, 1, 1, 1, 0, 0])
        probs = np.eye(3)[predicted]
        report = summarize(labels, probs, ["a", "b", "c"])
        self.assertAlmostEqual(report["accuracy"], 3 / 6)
        self.assertEqual(report["confusion"], [[1, 1, 0], [1, 2, 0], [1, 0, 0]])
        self.assertAlmostEqual(report["per_class"]["a"]["precision"], 1 / 3)
        self.assertAlmostEqual(report["per_class"]["b"]["recall"], 2 / 3)
        self.assertEqual(report["per_class"]["c"]["f1"], 0.0)  # never predicted: no division by zero
        f1_a = 2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2)
        f1_b = 2 * (2 / 3) * (2 / 3) / (4 / 3)
        self.assertAlmostEqual(report["macro_f1"], (f1_a + f1_b) / 3)


if __name__ == "__main__":
    unittest.main()
