"""Data-parallel training (distributed.py): two CPU processes on gloo run the real command line,
as torchrun would start them, on the synthetic faces."""
import contextlib
import os
import socket
import tempfile
import unittest

import torch
import torch.multiprocessing as mp

from factory.data import load_csv
from factory.tests.synthetic import read_json, write_csv
from factory.train import load_trained, predict

torch.set_num_threads(1)
WORLD = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank: int, folder: str, runs: list) -> None:
    """One process of the group: each run is one `python3 -m factory train`, as torchrun starts it
    (its environment), and every rank keeps the weights it ended with, to be compared."""
    import factory.train
    from factory.__main__ import main

    train = factory.train.train

    def keeping(*args, **kwargs):
        result = train(*args, **kwargs)
        torch.save(result["model"].state_dict(), os.path.join(folder, f"{name}-rank{rank}.pt"))
        return result

    factory.train.train = keeping  # commands.py imports it at call time
    with open(os.path.join(folder, f"rank{rank}.log"), "w") as out, \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        for name, port, argv in runs:
            os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank),
                              WORLD_SIZE=str(WORLD), LOCAL_WORLD_SIZE=str(WORLD))
            main(["train", *argv])


class DataParallel(unittest.TestCase):
    def test_two_processes_train_one_model_that_only_rank_0_writes_and_resume(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = write_csv(tmp, 40, 10)
            runs = os.path.join(tmp, "runs")
            command = ["--data", data, "--cache", os.path.join(tmp, "cache"), "--runs", runs, "--name", "run",
                       "--arch", "mini-xception", "--epochs", "2", "--batch", "16", "--lr", "3e-3", "--warmup", "1",
                       "--keep-last", "1"]  # tiny_config's values
            plan = [("interrupted", free_port(), command + ["--stop-after", "1"]),  # as if killed in epoch 2
                    ("resumed", free_port(), command + ["--resume"])]
            try:
                mp.spawn(worker, args=(tmp, plan), nprocs=WORLD)
            finally:
                if os.environ.get("FACTORY_TEST_LOGS"):  # each rank's output: only rank 0 says anything
                    for rank in range(WORLD):
                        with open(os.path.join(tmp, f"rank{rank}.log")) as handle:
                            print(f"--- rank {rank}\n{handle.read()}")
            for name, _, _ in plan:  # DDP keeps every rank's weights (and, synced, batch norm's statistics) equal
                first, second = (torch.load(os.path.join(tmp, f"{name}-rank{r}.pt")) for r in range(WORLD))
                for key in first:
                    self.assertTrue(torch.equal(first[key], second[key]), f"{name}: {key} differs between ranks")

            run = os.path.join(runs, "run")  # one writer: each file once, each command recorded once
            self.assertEqual(sorted(os.listdir(run)), ["best.pt", "epoch-002.pt", "history.json", "last.pt", "run.json"])
            info = read_json(os.path.join(run, "run.json"))
            self.assertEqual(len(info["commands"]), 2)
            self.assertTrue(all(c.startswith("torchrun --nproc_per_node=2 -m factory train") for c in info["commands"]))
            # --resume: every rank loaded the checkpoint (a rank with a fresh optimizer would drift apart above)
            history = read_json(os.path.join(run, "history.json"))
            self.assertEqual([h["epoch"] for h in history], [1, 2])
            self.assertGreater(history[-1]["val_acc"], 0.4)  # chance is 1/7

            # The recorded accuracy is what one process measures on the saved weights.
            test = load_csv(data).split("PublicTest")
            model, state = load_trained(os.path.join(run, "last.pt"))
            accuracy = float((predict(model, test.images).argmax(1) == test.labels).mean())
            self.assertEqual(accuracy, state["history"][-1]["val_acc"])
            for key, value in torch.load(os.path.join(tmp, "resumed-rank0.pt")).items():
                self.assertTrue(torch.equal(value, state["model"][key]))


if __name__ == "__main__":
    unittest.main()
