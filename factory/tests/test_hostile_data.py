"""Hostile training data, end to end through the command line, plus file-level damage.

test_data.py covers each malformed row kind in load_csv, and test_train.py a run killed mid-epoch.
Here: `python3 -m factory train` on a csv holding every kind of bad row and no PublicTest rows must
say what it dropped, with counts, and still train on the rest. Damage to the file as a whole
(a byte-order mark, a cut-off .gz, a giant or undecodable row) is checked on the loader.

"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch

from factory.data import load
from factory.tests.synthetic import write_csv

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOOD = " ".join(["7"] * 2304)
# One of each kind of bad row, with how many of each.
BAD_ROWS = {
    "wrong column count": [f"3,{GOOD},Training,extra", f"3,{GOOD}", ""],
    "non-numeric or out-of-range pixels": [f"3,{' '.join(['x'] * 2304)},Training",
                                           f"3,{' '.join(['256'] * 2304)},Training",
                                           f"3,{' '.join(['-1'] * 2304)},Training"],
    "wrong pixel count": [f"3,{' '.join(['1'] * 100)},Training", "3,,Training"],
    "unknown label": [f"7,{GOOD},Training", f"happy,{GOOD},Training", f"-1,{GOOD},Training"],
    "unknown Usage": [f"3,{GOOD},Validation", f"3,{GOOD},"],
}
TRAIN_PER_CLASS = 4  # 28 good Training rows


def run_factory(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


class TrainOnHostileCsv(unittest.TestCase):
    """One CLI run (two epochs, so that the best-checkpoint choice is exercised) shared by the tests."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        bad = [row for rows in BAD_ROWS.values() for row in rows]
        write_csv(cls.tmp.name, TRAIN_PER_CLASS, 0, extra_rows=bad)  # no PublicTest rows at all
        cls.runs = os.path.join(cls.tmp.name, "runs")
        cls.result = run_factory("train", "--data", cls.tmp.name, "--cache", "", "--runs", cls.runs, "--name", "hostile",
                                 "--epochs", "2", "--batch", "8")
        cls.run_dir = os.path.join(cls.runs, "hostile")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_the_run_succeeds(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr[-2000:])

    def test_every_kind_of_bad_row_is_reported_with_its_count(self):
        total = 7 * TRAIN_PER_CLASS + sum(len(rows) for rows in BAD_ROWS.values())
        data_line = next(line for line in self.result.stdout.splitlines() if line.startswith("data: "))
        self.assertIn(f"{7 * TRAIN_PER_CLASS} of {total} rows kept", data_line)
        for kind, rows in BAD_ROWS.items():
            self.assertIn(f"{len(rows)} skipped: {kind}", data_line)
        # ...and the same report is kept with the run.
        with open(os.path.join(self.run_dir, "run.json")) as handle:
            self.assertEqual("data: " + json.load(handle)["data_report"] + ";", data_line[: data_line.index(" sha256")])

    def test_it_trains_on_the_good_rows(self):
        self.assertIn(f"{7 * TRAIN_PER_CLASS} training faces", self.result.stdout)
        last = torch.load(os.path.join(self.run_dir, "last.pt"))
        self.assertEqual([h["epoch"] for h in last["history"]], [1, 2])
        for epoch in last["history"]:
            self.assertGreater(epoch["train_loss"], 0)

    def test_an_empty_public_test_split_is_reported(self):
        self.assertRegex(self.result.stdout + self.result.stderr, r"(?i)no PublicTest rows|PublicTest (split )?is empty")

    def test_without_public_test_the_best_checkpoint_is_not_stuck_at_epoch_one(self):
        # With nothing to select on, best.pt follows the last epoch.
        best = torch.load(os.path.join(self.run_dir, "best.pt"))
        self.assertEqual(best["epoch"] + 1, 2)


class DamagedFiles(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def rewrite(self, path: str, transform) -> None:
        with open(path, "rb") as handle:
            data = handle.read()
        with open(path, "wb") as handle:
            handle.write(transform(data))

    def test_only_bad_rows_is_a_clear_error_from_the_cli(self):
        write_csv(self.tmp.name, 0, 0, extra_rows=BAD_ROWS["unknown label"])
        result = run_factory("train", "--data", self.tmp.name, "--cache", "", "--runs", os.path.join(self.tmp.name, "runs"),
                             "--epochs", "1")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("3 skipped: unknown label", result.stdout)
        self.assertIn("no Training rows: nothing to train on", result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_windows_line_endings_and_quoted_pixels_load(self):
        path = write_csv(self.tmp.name, 1, 1, extra_rows=[f'3,"{GOOD}",Training'])
        self.rewrite(path, lambda data: data.replace(b"\n", b"\r\n"))
        faces, _ = load(path)
        self.assertEqual(faces.report.summary(), "15 of 15 rows kept")

    def test_a_byte_order_mark_is_accepted(self):
        # A csv saved by Excel as "CSV UTF-8" starts with a BOM.
        path = write_csv(self.tmp.name, 1, 1)
        self.rewrite(path, lambda data: b"\xef\xbb\xbf" + data)
        faces, _ = load(path)
        self.assertEqual(len(faces), 14)

    def test_a_cut_off_gzip_names_the_file(self):
        # A partly downloaded fer2013.csv.gz: the error names the file.
        path = write_csv(self.tmp.name, 3, 1, gz=True)
        self.rewrite(path, lambda data: data[: len(data) // 2])
        with self.assertRaisesRegex(ValueError, "fer2013.csv.gz"):
            load(path)

    def test_a_giant_row_is_skipped_not_fatal(self):
        # Longer than the csv module's default field limit (131,072 characters).
        path = write_csv(self.tmp.name, 1, 1, extra_rows=[f"3,{'1 ' * 100_000},Training"])
        faces, _ = load(path)
        self.assertEqual(len(faces), 14)
        self.assertEqual(faces.report.rows, 15)

    def test_a_row_that_is_not_utf8_is_skipped_not_fatal(self):
        # One byte that is not UTF-8 (a Latin-1 "é"): the pixels are plain ASCII, so the row is malformed.
        path = write_csv(self.tmp.name, 1, 1, extra_rows=["3,caf\u00e9,Training"])
        self.rewrite(path, lambda data: data.replace("caf\u00e9".encode(), b"caf\xe9"))
        faces, _ = load(path)
        self.assertEqual(len(faces), 14)
        self.assertEqual(faces.report.rows, 15)


if __name__ == "__main__":
    unittest.main()
