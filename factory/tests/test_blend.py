import os
import tempfile
import unittest

import torch

from factory.blend import ship_blend
from factory.export_tfjs import write_layers_model
from factory.models import build
from factory.tests.synthetic import read_json

torch.set_num_threads(1)


def save_checkpoint(folder: str, name: str, seed: int) -> tuple[str, torch.nn.Module]:
    torch.manual_seed(seed)
    model = build("mini-xception").eval()
    path = os.path.join(folder, f"{name}.pt")
    torch.save({"model": model.state_dict(), "config": {"arch": "mini-xception", "width": 1.0, "dropout": 0.0}}, path)
    return path, model


class ShipBlend(unittest.TestCase):
    def test_writes_the_blend_of_the_shipped_models_and_refuses_others(self):
        with tempfile.TemporaryDirectory() as tmp:
            models = os.path.join(tmp, "models")
            fast, fast_model = save_checkpoint(tmp, "fast", 1)
            accurate, accurate_model = save_checkpoint(tmp, "accurate", 2)
            write_layers_model(fast_model, "fast", os.path.join(models, "fast"))
            write_layers_model(accurate_model, "accurate", os.path.join(models, "accurate"))
            metrics = {"split": "PublicTest", "flip": {"accuracy": 0.5}}
            path = ship_blend(["fast", "accurate"], [fast, accurate], metrics, "cmd", models)
            written = read_json(path)
            self.assertEqual(written["models"], ["fast", "accurate"])
            self.assertEqual(written["metrics"], metrics)
            self.assertEqual(set(written["weightsSha256"]), {"fast", "accurate"})
            with self.assertRaisesRegex(SystemExit, "is not the model in"):
                ship_blend(["fast", "accurate"], [accurate, fast], metrics, "cmd", models)
            with self.assertRaisesRegex(SystemExit, "does not exist"):
                ship_blend(["fast", "other"], [fast, accurate], metrics, "cmd", models)
            with self.assertRaisesRegex(SystemExit, "one name per checkpoint"):
                ship_blend(["fast"], [fast, accurate], metrics, "cmd", models)


if __name__ == "__main__":
    unittest.main()
