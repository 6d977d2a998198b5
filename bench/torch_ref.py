"""PyTorch CPU reference for bench/backend/train-bench.ts.

Trains the same three networks as bench/backend/models.ts (LeNet-style CNN,
small BN ResNet, ViT-Tiny-style) on synthetic data with Adam, batch 64, and
prints one JSON line per model: {"model", "samplesPerSec" (median wall-clock),
"windows", "cpuSamplesPerSec" (samples per second of process CPU time, all
threads together)}.

Usage: python3 bench/torch_ref.py [--threads 2] [--batch 64] [--models lenet,resnet,vit]
       [--warmup-steps 5] [--window-steps 10] [--windows 5] [--device cpu|cuda]
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(7 * 7 * 32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.fc(torch.flatten(x, 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.short = None
        if stride != 1 or cin != cout:
            self.short = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False),
                nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01))

    def forward(self, x):
        y = F.relu(self.b1(self.c1(x)))
        y = self.b2(self.c2(y))
        s = x if self.short is None else self.short(x)
        return F.relu(y + s)


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(32, eps=1e-3, momentum=0.01)
        self.block1 = BasicBlock(32, 32, 1)
        self.block2 = BasicBlock(32, 64, 2)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        x = self.block2(self.block1(x))
        return self.fc(x.mean(dim=(2, 3)))


class EncoderBlock(nn.Module):
    def __init__(self, dim, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, mlp)
        self.fc2 = nn.Linear(mlp, dim)

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).reshape(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // h) ** 0.5, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class ViT(nn.Module):
    def __init__(self, dim=64, depth=2, heads=4, mlp=128, patch=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, patch)
        n = (32 // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, n + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[EncoderBlock(dim, heads, mlp) for _ in range(depth)])
        self.ln = nn.LayerNorm(dim, eps=1e-6)
        self.fc = nn.Linear(dim, 10)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        x = self.ln(self.blocks(x))
        return self.fc(x[:, 0])


MODELS = {
    'lenet': (LeNet, (1, 28, 28)),
    'resnet': (ResNet, (3, 32, 32)),
    'vit': (ViT, (3, 32, 32)),
}


def bench(name, batch, warmup, window, windows, device='cpu'):
    ctor, shape = MODELS[name]
    model = ctor().to(device)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.rand(batch, *shape, device=device)
    y = torch.randint(0, 10, (batch,), device=device)
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    sync()
    rates, cpu_rates = [], []
    for _ in range(windows):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(window):
            step()
        sync()
        rates.append(window * batch / (time.perf_counter() - t0))
        # Process CPU time over all threads: per-core-second throughput.
        cpu_rates.append(window * batch / (time.process_time() - c0))
    return {'model': name, 'samplesPerSec': statistics.median(rates), 'windows': rates,
            'cpuSamplesPerSec': statistics.median(cpu_rates)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--models', default='lenet,resnet,vit')
    p.add_argument('--warmup-steps', type=int, default=5)
    p.add_argument('--window-steps', type=int, default=10)
    p.add_argument('--windows', type=int, default=5)
    p.add_argument('--device', default='cpu', help="'cpu' or 'cuda' (GPU machines)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name in a.models.split(','):
        r = bench(name, a.batch, a.warmup_steps, a.window_steps, a.windows, a.device)
        r['torch'] = torch.__version__
        r['device'] = a.device
        r['threads'] = torch.get_num_threads()
        print(json.dumps(r), flush=True)


if __name__ == '__main__':
    main()
