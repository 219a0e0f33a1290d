import json
import os
import tempfile
import unittest

from factory import LABELS
from factory.report import END, SHIPPED_END, SHIPPED_START, START, read, record, render, rendered, run_name

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


def entry(accuracy: float) -> dict:
    scores = {"accuracy": accuracy, "macro_f1": accuracy - 0.1, "recall": {n: 0.5 for n in LABELS}}
    return {"architecture": "mini-xception", "parameters": 56951, "sizeBytes": 233692, "epochs": 3,
            "best_epoch": 3, "command": "python3 -m factory train", "single": scores,
            "flip": scores | {"accuracy": accuracy + 0.01}}


def export(models: str, folder: str, command: str, parameters: int, accuracy: float) -> None:
    """A shipped model's metadata.json, as `factory export` writes it (the parts the report reads)."""
    os.makedirs(os.path.join(models, folder))
    scores = {"accuracy": accuracy, "macro_f1": accuracy - 0.1}
    with open(os.path.join(models, folder, "metadata.json"), "w") as handle:
        json.dump({"name": folder, "architecture": "aer-cnn" if folder == "attention" else "mini-xception",
                   "parameters": parameters, "sizeBytes": parameters * 4, "training": {"command": command},
                   "metrics": {"split": "PublicTest", "single": scores, "flip": scores | {"accuracy": accuracy + 0.02}}},
                  handle)


def rows_of(text: str, start: str, end: str) -> list[str]:
    body = text.split(start, 1)[1].split(end, 1)[0]
    return [line for line in body.splitlines() if line.startswith("| ")][1:]  # without the header


class Report(unittest.TestCase):
    def files(self, tmp: str) -> tuple[str, str, str, str, str]:
        paths = tuple(os.path.join(tmp, n) for n in ("results.json", "speed.json", "README.md", "results.md", "models"))
        with open(paths[2], "w") as handle:
            handle.write(f"intro\n{SHIPPED_START}\nold shipped\n{SHIPPED_END}\noutro\n")
        with open(paths[3], "w") as handle:
            handle.write(f"# all runs\n{START}\nold table\n{END}\nnotes\n")
        os.makedirs(paths[4])
        return paths

    def test_renders_every_recorded_run_best_first_into_the_results_page(self):
        with tempfile.TemporaryDirectory() as tmp:
            results, speed, readme, doc, models = self.files(tmp)
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
            render(readme, doc, results, [speed], models)
            text = read(doc)
            self.assertTrue(text.startswith("# all runs\n") and text.endswith("notes\n"))
            self.assertNotIn("old table", text)
            rows = rows_of(text, START, END)
            self.assertEqual([r.split(" | ")[0] for r in rows], ["| good-run", "| soup-run", "| tail-soup", "| slow-run"])
            self.assertIn("66.00%", rows[0])
            self.assertIn("67.00%", rows[0])
            self.assertIn("2.50", rows[0])
            self.assertIn("n/a", rows[3])
            self.assertIn("(after its teachers: big-run)", rows[0])
            self.assertIn("(after its ingredients: run-a, run-b)", rows[1])
            self.assertIn("(after its ingredients: run-c)", rows[2])
            self.assertNotIn("after its", rows[3])
            # the README gets only the shipped models (none here), never the full table
            self.assertNotIn("good-run", read(readme))

    def test_renders_the_shipped_models_and_the_run_each_is_into_the_readme(self):
        with tempfile.TemporaryDirectory() as tmp:
            results, speed, readme, doc, models = self.files(tmp)
            record("fast-run", entry(0.655), results)  # recorded: its row's scores win over the metadata's
            record("not-shipped", entry(0.70), results)
            record("pair", entry(0.69), results)
            export(models, "mini-xception", "python3 -m factory train --name fast-a && "
                   "python3 -m factory train --name fast-run --init-from factory/runs/fast-a", 1000, 0.64)
            export(models, "attention", "python3 -m factory soup x.pt y.pt --name slow-soup", 5000, 0.68)  # not recorded
            with open(os.path.join(models, "blend.json"), "w") as handle:
                json.dump({"models": ["mini-xception", "attention"], "metrics": entry(0.5),
                           "command": "python3 -m factory evaluate a b --record pair --ship-blend mini-xception,attention"},
                          handle)
            with open(speed, "w") as handle:  # keyed by run, as npm run bench:models records it
                json.dump({"models": {"mini-xception": {"msPerFace": 1.5, "run": "fast-run"},
                                      "attention": {"msPerFace": 4.25, "run": "slow-soup"}}}, handle)
            render(readme, doc, results, [speed], models)
            text = read(readme)
            self.assertTrue(text.startswith("intro\n") and text.endswith("outro\n"))
            self.assertNotIn("old shipped", text)
            self.assertNotIn("not-shipped", text)
            rows = rows_of(text, SHIPPED_START, SHIPPED_END)
            self.assertEqual(len(rows), 3)
            fast, accurate, both = ([c.strip() for c in r.strip("|").split("|")] for r in rows)
            self.assertEqual(fast, ["fast", "`models/mini-xception`", "`fast-run`", "mini-xception", "1,000", "4 KB",
                                    "65.50%", "66.50%", "0.555", "1.50"])
            self.assertEqual(accurate, ["accurate", "`models/attention`", "`slow-soup`", "aer-cnn", "5,000", "20 KB",
                                        "68.00%", "70.00%", "0.580", "4.25"])
            self.assertEqual(both, ["both (averaged)", "`models/blend.json`", "`pair`", "mini-xception + aer-cnn", "6,000",
                                    "23 KB", "69.00%", "70.00%", "0.590", "1.50 + 4.25"])
            self.assertIn("| fast-run |", read(doc))  # and the full table has every run

    def test_a_stale_speed_entry_is_not_shown_for_a_new_export(self):
        with tempfile.TemporaryDirectory() as tmp:
            results, speed, readme, doc, models = self.files(tmp)
            export(models, "mini-xception", "python3 -m factory train --name new-run", 1000, 0.64)
            with open(speed, "w") as handle:  # timed before new-run was shipped
                json.dump({"models": {"mini-xception": {"msPerFace": 1.5, "run": "old-run"}}}, handle)
            render(readme, doc, results, [speed], models)
            (row,) = rows_of(read(readme), SHIPPED_START, SHIPPED_END)
            self.assertTrue(row.endswith("| n/a |"), row)
            self.assertIn("_no recorded evaluations yet_", read(doc))

    def test_run_name_is_the_last_name_of_a_chained_command(self):
        self.assertEqual(run_name("train --name a && train --name b --init-from factory/runs/a"), "b")
        self.assertEqual(run_name("evaluate a b --record both-a-b --ship-blend x,y", "--record"), "both-a-b")
        self.assertIsNone(run_name(None))

    def test_refuses_files_without_their_markers_and_then_writes_neither(self):
        with tempfile.TemporaryDirectory() as tmp:
            results, speed, readme, doc, models = self.files(tmp)
            for broken, other in ((readme, doc), (doc, readme)):
                before = read(other)
                saved = read(broken)
                write(broken, "no markers\n")
                with self.assertRaises(SystemExit):
                    render(readme, doc, results, [], models)
                self.assertEqual(read(other), before)
                write(broken, saved)
            write(readme, f"{SHIPPED_START}\n{SHIPPED_END}\n{SHIPPED_START}\n{SHIPPED_END}\n")
            with self.assertRaises(SystemExit):  # twice
                render(readme, doc, results, [], models)

    def test_the_committed_tables_are_up_to_date(self):
        """README.md and docs/results.md say what models/ holds: after recording, shipping or
        timing a model, run `python3 -m factory report`."""
        cwd = os.getcwd()
        os.chdir(REPO)
        try:
            for path, text in rendered().items():
                self.assertEqual(read(path), text, f"{path} is out of date: run /usr/bin/python3 -m factory report")
        finally:
            os.chdir(cwd)


if __name__ == "__main__":
    unittest.main()
