import os
import tempfile
import unittest

import numpy as np

from factory.data import load, load_csv, load_ferplus, load_image_folder
from factory.tests.synthetic import faces, row, write_csv

GOOD = " ".join(["7"] * 2304)


class CsvLoading(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def test_reads_plain_and_gzip_alike(self):
        plain = load_csv(write_csv(self.tmp.name, 3, 2))
        gz_dir = os.path.join(self.tmp.name, "gz")
        os.makedirs(gz_dir)
        packed = load_csv(write_csv(gz_dir, 3, 2, gz=True))
        self.assertEqual(len(plain), 7 * 5)
        np.testing.assert_array_equal(plain.images, packed.images)
        self.assertEqual(list(plain.split("PublicTest").labels), [k for k in range(7) for _ in range(2)])

    def test_malformed_rows_are_skipped_and_counted_by_kind(self):
        bad = [
            f"3,{GOOD},Training,extra",  # wrong column count
            f"3,{GOOD}",  # wrong column count
            f"3,{' '.join(['x'] * 2304)},Training",  # non-numeric pixels
            f"3,{' '.join(['300'] * 2304)},Training",  # out of range
            f"3,{' '.join(['1'] * 100)},Training",  # wrong pixel count
            f"9,{GOOD},Training",  # unknown label
            f"happy,{GOOD},Training",  # unknown label
            f"3,{GOOD},Validation",  # unknown Usage
        ]
        result = load_csv(write_csv(self.tmp.name, 2, 1, extra_rows=bad))
        self.assertEqual(len(result), 7 * 3)
        self.assertEqual(result.report.rows, 7 * 3 + len(bad))
        self.assertEqual(dict(result.report.skipped), {
            "wrong column count": 2, "non-numeric or out-of-range pixels": 2, "wrong pixel count": 1,
            "unknown label": 2, "unknown Usage": 1})
        self.assertIn("21 of 29 rows kept", result.report.summary())

    def test_wrong_header_is_a_clear_error(self):
        path = os.path.join(self.tmp.name, "fer2013.csv")
        with open(path, "w") as handle:
            handle.write("label,image\n1,2\n")
        with self.assertRaisesRegex(ValueError, "emotion,pixels,Usage"):
            load_csv(path)

    def test_empty_split_loads_as_empty(self):
        path = os.path.join(self.tmp.name, "fer2013.csv")
        with open(path, "w") as handle:
            handle.write("emotion,pixels,Usage\n" + row(3, np.zeros((48, 48), np.uint8), "Training") + "\n")
        result = load_csv(path)
        self.assertEqual(len(result.split("PublicTest")), 0)
        self.assertEqual(len(result.split("Training")), 1)

    def test_cache_returns_the_same_faces_and_checksum(self):
        path = write_csv(self.tmp.name, 2, 1)
        cache = os.path.join(self.tmp.name, "cache")
        first, sum1 = load(self.tmp.name, cache)
        second, sum2 = load(path, cache)
        self.assertEqual(sum1, sum2)
        self.assertEqual(len(os.listdir(cache)), 1)
        np.testing.assert_array_equal(first.images, second.images)
        np.testing.assert_array_equal(first.labels, second.labels)


class OtherSources(unittest.TestCase):
    def test_image_folders(self):
        from PIL import Image

        with tempfile.TemporaryDirectory() as root:
            images, labels = faces(2, 0)
            names = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
            for i, (image, label) in enumerate(zip(images, labels)):
                folder = os.path.join(root, "train" if i % 2 == 0 else "test", names[label])
                os.makedirs(folder, exist_ok=True)
                Image.fromarray(image).save(os.path.join(folder, f"{i}.png"))
            os.makedirs(os.path.join(root, "train", "bored"))
            Image.fromarray(images[0]).save(os.path.join(root, "train", "bored", "x.png"))
            with open(os.path.join(root, "train", "happy", "broken.png"), "wb") as handle:
                handle.write(b"not a png")
            result = load_image_folder(root)
            self.assertEqual(len(result), 14)
            self.assertEqual(result.report.skipped["unreadable image"], 1)
            self.assertEqual(result.report.skipped["unknown class folder 'bored'"], 1)
            self.assertEqual(len(result.split("Training")), 7)
            np.testing.assert_array_equal(result.split("Training").images[0], images[0])

    def test_ferplus_majority_and_soft_labels(self):
        with tempfile.TemporaryDirectory() as tmp:
            faces_set = load_csv(write_csv(tmp, 1, 0))  # 7 rows
            plus = os.path.join(tmp, "fer2013new.csv")
            header = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF"
            votes = ["10,0,0,0,0,0,0,0,0,0", "0,6,4,0,0,0,0,0,0,0", "5,5,0,0,0,0,0,0,0,0", "0,0,0,0,0,0,0,0,0,10",
                     "0,0,0,0,7,0,0,3,0,0", "0,0,0,0,0,0,2,0,0,0", "1,1,1,1,1,1,1,0,3,0"]
            with open(plus, "w") as handle:
                handle.write(header + "\n" + "\n".join(f"Training,fer{i}.png,{v}" for i, v in enumerate(votes)) + "\n")
            majority = load_ferplus(plus, faces_set, "majority")
            # ties (row 2, row 6) and rows without FER2013-class votes (row 3) are dropped
            self.assertEqual(list(majority.labels), [6, 3, 0, 2])
            soft = load_ferplus(plus, load_csv(write_csv(tmp, 1, 0)), "soft")
            self.assertEqual(len(soft), 6)
            np.testing.assert_allclose(soft.soft.sum(1), 1.0, rtol=1e-6)
            np.testing.assert_allclose(soft.soft[1][[3, 5]], [0.6, 0.4])

    def test_ferplus_votes_mixed_into_fer_targets_keep_fer_labels(self):
        from types import SimpleNamespace

        from factory.commands import ferplus_targets
        with tempfile.TemporaryDirectory() as tmp:
            path = write_csv(tmp, 1, 0)  # 7 Training rows, label k for row k
            header = "Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF"
            votes = ["10,0,0,0,0,0,0,0,0,0", "0,0,0,0,0,0,0,0,0,10"] + ["0,10,0,0,0,0,0,0,0,0"] * 5
            with open(os.path.join(tmp, "fer2013new.csv"), "w") as handle:
                handle.write(header + "\n" + "\n".join(f"Training,fer{i}.png,{v}" for i, v in enumerate(votes)) + "\n")
            training = load_csv(path).split("Training")
            args = SimpleNamespace(data=path, labels="fer", ferplus_aux=0.5)
            mixed = ferplus_targets(args, training, None, 0.0, online=False)
            np.testing.assert_allclose(mixed.sum(1), 1.0, rtol=1e-6)
            np.testing.assert_allclose(mixed[0][[0, 6]], [0.5, 0.5])  # angry by FER, neutral by FER+ votes
            np.testing.assert_allclose(mixed[1][1], 1.0)  # no FER+ votes for its classes: its own label only
            np.testing.assert_allclose(mixed[3][3], 1.0)  # both agree: happy
            self.assertEqual(list(training.labels), list(range(7)))  # FER2013's labels stay
            with self.assertRaises(SystemExit):
                ferplus_targets(SimpleNamespace(data=path, labels="ferplus-soft", ferplus_aux=0.5), training, None, 0.0, False)


if __name__ == "__main__":
    unittest.main()
