import json
import os
import tempfile
import unittest

from factory import LABELS
from factory.report import END, START, record, render


def entry(accuracy: float) -> dict:
    scores = {"accuracy": accuracy, "macro_f1": accuracy - 0.1, "recall": {n: 0.5 for n in LABELS}}
    return {"architecture": "mini-xception", "parameters": 56951, "sizeBytes": 233692, "epochs": 3,
            "best_epoch": 3, "command": "python3 -m factory train", "single": scores,
            "flip": scores | {"accuracy": accuracy + 0.01}}


class Report(unittest.TestCase):
    def test_renders_recorded_runs_best_first_between_the_markers(self):
        with tempfile.TemporaryDirectory() as tmp:
            results, speed, readme = (os.path.join(tmp, n) for n in ("results.json", "speed.json", "README.md"))
            record("slow-run", entry(0.60), results)
            record("good-run", entry(0.66) | {"teachers": [{"checkpoint": "factory/runs/big-run/best.pt",
                                                             "command": "python3 -m factory train --name big-run"}]},
                   results)
            record("soup-run", entry(0.62) | {"ingredients": [
                {"checkpoint": f"factory/runs/{name}/best.pt", "command": f"python3 -m factory train --name {name}"}
                for name in ("run-a", "run-b")]}, results)
            record("tail-soup", entry(0.61) | {"ingredients": [  # the last epochs of one run
                {"checkpoint": f"factory/runs/run-c/epoch-00{n}.pt", "command": "python3 -m factory train --name run-c"}
                for n in (5, 6)]}, results)
            with open(speed, "w") as handle:
                json.dump({"models": {"mini-xception": {"msPerFace": 2.5, "run": "good-run"}}}, handle)
            with open(readme, "w") as handle:
                handle.write(f"intro\n{START}\nold table\n{END}\noutro\n")
            render(readme, results, [speed])
            text = open(readme).read()
            self.assertTrue(text.startswith("intro\n") and text.endswith("outro\n"))
            self.assertNotIn("old table", text)
            rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| run |")]
            self.assertEqual([r.split(" | ")[0] for r in rows], ["| good-run", "| soup-run", "| tail-soup", "| slow-run"])
            self.assertIn("66.00%", rows[0])
            self.assertIn("67.00%", rows[0])
            self.assertIn("2.50", rows[0])
            self.assertIn("n/a", rows[3])
            self.assertIn("(after its teachers: big-run)", rows[0])
            self.assertIn("(after its ingredients: run-a, run-b)", rows[1])
            self.assertIn("(after its ingredients: run-c)", rows[2])
            self.assertNotIn("after its", rows[3])

    def test_refuses_a_readme_without_markers(self):
        with tempfile.TemporaryDirectory() as tmp:
            readme = os.path.join(tmp, "README.md")
            open(readme, "w").write("no markers\n")
            with self.assertRaises(SystemExit):
                render(readme, os.path.join(tmp, "none.json"), [])


if __name__ == "__main__":
    unittest.main()
