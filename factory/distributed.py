"""Data-parallel training over several processes (torch.distributed), for `torchrun`.

`torchrun --nproc_per_node=N -m factory train ...` starts N copies of the command; each learns from
its own share of every global batch, DistributedDataParallel averages their gradients, and only
rank 0 writes (checkpoints, run.json, history, teacher caches) and measures PublicTest. A plain
`python3 -m factory train` is a world of one: nothing here is used and training is unchanged.
"""
from __future__ import annotations

import contextlib
import os

import torch
import torch.distributed as dist

_OWNED = False  # this module started the process group (and so ends it)


def init() -> None:
    """Joins the process group torchrun describes (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT in
    the environment): nccl when CUDA is there, else gloo. Nothing for a single process, or when
    the caller (a test) has already made the group."""
    global _OWNED
    if dist.is_initialized() or int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return
    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group("nccl" if cuda else "gloo")
    _OWNED = True


def cleanup() -> None:
    global _OWNED
    if _OWNED and dist.is_initialized():
        dist.destroy_process_group()
    _OWNED = False


def active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def world_size() -> int:
    return dist.get_world_size() if active() else 1


def rank() -> int:
    return dist.get_rank() if active() else 0


def is_main() -> bool:
    return rank() == 0


def barrier() -> None:
    if active():
        dist.barrier()


@contextlib.contextmanager
def main_first():
    """Rank 0 runs the block first (e.g. writes a cache), then the others (which read it)."""
    if not is_main():
        barrier()
    yield
    if is_main():
        barrier()


def device() -> torch.device:
    """This process's device: its own GPU (LOCAL_RANK) under torchrun with CUDA, else cuda or cpu."""
    if not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0"))) if active() else torch.device("cuda")


def wrap(model: torch.nn.Module) -> torch.nn.Module:
    """DistributedDataParallel around the model (rank 0's weights and buffers are broadcast to all)."""
    from torch.nn.parallel import DistributedDataParallel

    if not active():
        return model
    on_gpu = next(model.parameters()).is_cuda
    return DistributedDataParallel(model, device_ids=[torch.cuda.current_device()] if on_gpu else None)


def unwrap(model: torch.nn.Module) -> torch.nn.Module:
    return getattr(model, "module", model)


def local_batch(batch: int) -> int:
    """Each process's share of the global batch --batch, which must divide evenly."""
    world = world_size()
    if batch % world:
        raise ValueError(f"--batch {batch} must be a multiple of the {world} processes")
    return batch // world


def sampler(length: int, seed: int):
    """A DistributedSampler over `length` faces: every process a disjoint share of one shuffled
    order (set_epoch(epoch) reshuffles it), the same on every process."""
    from torch.utils.data import DistributedSampler

    return DistributedSampler(range(length), num_replicas=world_size(), rank=rank(), shuffle=True, seed=seed,
                              drop_last=True)


def total(*values: float) -> list[float]:
    """The sums of these numbers over all processes."""
    if not active():
        return list(values)
    t = torch.tensor(values, dtype=torch.float64)
    if dist.get_backend() == "nccl":
        t = t.cuda()
    dist.all_reduce(t)
    return t.cpu().tolist()


def from_main(value):
    """Rank 0's `value` (any picklable object) on every process."""
    if not active():
        return value
    box = [value]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def sync_buffers(model: torch.nn.Module) -> None:
    """Rank 0's buffers (batch norm's running statistics) everywhere. DistributedDataParallel sends
    them before each forward pass; after an epoch's last step every process holds its own."""
    if active():
        for buffer in model.buffers():
            dist.broadcast(buffer, src=0)
