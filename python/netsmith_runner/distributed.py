"""Data parallelism for the runner under torchrun (DistributedDataParallel).

The lab talks to rank 0 only, through the usual pipe (framing.py). Rank 0 broadcasts every message that changes
the model (init, train, load, exit) to the other ranks; each rank trains on its slice of the lab's global batch,
so the lab's seeded batch order, augmentation and splits stay exactly those of a one-process run. DDP averages
the gradients; each rank scales its loss by its share of the global batch, so the averaged gradient is the
gradient of the global batch's loss (classification exactly; detection too, each rank normalising by the global
batch's positives; segmentation's Dice term is over each rank's slice, as in plain DDP, while its pixel loss is
exact). BatchNorm normalises each rank's slice. Evaluation and checkpoints run on rank 0 alone.

    python -m netsmith_runner.launch --nproc_per_node 2 [other torchrun options]

Multi-node: the lab's machine runs rank 0 (torchrun's static rendezvous, --node_rank 0); the other nodes start
`torchrun ... -m netsmith_runner.run` with the same --nnodes/--master_addr/--master_port and need only this
package and torch: the model, its weights and every batch come from rank 0.
"""
import io
import os
import sys


class World:
    """This process's place in the job: rank, world size, local rank (torchrun's environment)."""

    def __init__(self, env=None):
        env = os.environ if env is None else env
        self.size = int(env.get('WORLD_SIZE', '1'))
        self.rank = int(env.get('RANK', '0'))
        self.local_rank = int(env.get('LOCAL_RANK', '0'))

    @property
    def parallel(self):
        return self.size > 1

    @property
    def lead(self):
        return self.rank == 0

    def shard(self, n):
        """The rows [lo, hi) of an n-row global batch that this rank trains on (contiguous, sizes differ by ≤ 1)."""
        return n * self.rank // self.size, n * (self.rank + 1) // self.size


def start(world):
    """Joins the process group: gloo for CPU tensors (the control messages); NCCL for CUDA tensors when the lab
    trains on CUDA (NETSMITH_DIST_BACKEND, set by the lab from the run's device; a CPU run on a GPU machine stays
    on gloo, since NCCL wants one GPU per rank). No collective timeout worth the name: a paused run, or rank 0
    evaluating, keeps the other ranks waiting in a broadcast, and torchrun ends the job if any rank dies."""
    from datetime import timedelta

    import torch
    import torch.distributed as dist

    backend = os.environ.get('NETSMITH_DIST_BACKEND', 'gloo')
    if 'nccl' in backend:
        torch.cuda.set_device(world.local_rank)
    dist.init_process_group(backend=backend, timeout=timedelta(days=7))
    if not world.lead:
        # Only rank 0 speaks the lab's protocol: a stray print on another rank must not reach the pipe.
        os.dup2(2, 1)
        sys.stdout = sys.stderr


def stop():
    import torch.distributed as dist

    if dist.is_initialized():
        dist.destroy_process_group()


def broadcast_message(world, header=None, payload=b''):
    """Rank 0 sends (header, payload); every rank returns it."""
    import torch.distributed as dist

    box = [(header, payload)] if world.lead else [None]
    dist.broadcast_object_list(box, src=0)
    return box[0]


def send_init(world, header):
    """Rank 0: the init message with the model's source and initial weights (other nodes lack the files)."""
    with open(header['modelPy'], 'rb') as f:
        source = f.read()
    with open(header['weights'], 'rb') as f:
        weights = f.read()
    broadcast_message(world, dict(header, sourceBytes=len(source)), source + weights)


def receive_init(world, header, blob):
    """The other ranks: write rank 0's model source and weights to a private folder; the init message pointing there."""
    import atexit
    import shutil
    import tempfile

    split = header['sourceBytes']
    folder = tempfile.mkdtemp(prefix=f'netsmith-rank{world.rank}-')
    atexit.register(shutil.rmtree, folder, True)
    header = dict(header, modelPy=os.path.join(folder, 'model.py'), weights=os.path.join(folder, 'init.safetensors'))
    with open(header['modelPy'], 'wb') as f:
        f.write(blob[:split])
    with open(header['weights'], 'wb') as f:
        f.write(blob[split:])
    return header


def share_checkpoint(world, path):
    """torch.pt's bytes from rank 0 (the other ranks may be on other machines); None where rank 0 could not read it."""
    data = None
    if world.lead:
        try:
            with open(path, 'rb') as f:
                data = f.read()
        except OSError:
            data = None
    _, data = broadcast_message(world, {}, data)
    return None if data is None else io.BytesIO(data)


def all_sum(values, device):
    """Σ over ranks of a few floats (one collective)."""
    import torch
    import torch.distributed as dist

    t = torch.stack([v.detach().float().reshape(()) for v in values]).to(device)
    dist.all_reduce(t)
    return t


def global_sums(tensors, device, weight=1.0):
    """Σ over ranks of each tensor (one collective), differentiable through this rank's own term only.

    Every rank then computes the same function of the global sums; its gradient through the local term is
    ∂L/∂G · ∂g_r/∂θ, and DDP averages the ranks' gradients, so a term built on these sums must be weighted by the
    world size to give the one-process gradient ∂L/∂G · Σ_r ∂g_r/∂θ. `weight` 0: this rank adds nothing (a padding row).
    """
    import torch
    import torch.distributed as dist

    local = [t * weight for t in tensors]
    flat = torch.cat([t.detach().reshape(-1) for t in local]).to(device)
    dist.all_reduce(flat)
    out, at = [], 0
    for t in local:
        total = flat[at:at + t.numel()].reshape(t.shape)
        at += t.numel()
        out.append(t + (total - t.detach()))
    return out
