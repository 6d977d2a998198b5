"""The plain PyTorch loop that the lab's PyTorch engine is measured against (bench/torch-engine.ts).

Loads the model.py the lab's exporter wrote, trains it on random batches already on the device (Adam, cross-
entropy, nothing else), and prints one JSON line: {"samplesPerSec" (median over windows), "windows", "torch"}.

Usage: python3 bench/torch_plain.py model.py ClassName --shape C,H,W --classes 10 [--batch 64]
       [--warmup-steps 5] [--window-steps 10] [--windows 5] [--device cpu|cuda|mps] [--threads N]
"""
import argparse
import importlib.util
import json
import statistics
import time

import torch
import torch.nn.functional as F


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()
    elif device.type == 'mps':
        torch.mps.synchronize()


def main():
    p = argparse.ArgumentParser()
    p.add_argument('model_py')
    p.add_argument('class_name')
    p.add_argument('--shape', required=True)
    p.add_argument('--classes', type=int, default=10)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--warmup-steps', type=int, default=5)
    p.add_argument('--window-steps', type=int, default=10)
    p.add_argument('--windows', type=int, default=5)
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=0)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    spec = importlib.util.spec_from_file_location('bench_model', a.model_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    device = torch.device(a.device)
    torch.manual_seed(0)
    model = getattr(module, a.class_name)().to(device).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    c, h, w = (int(v) for v in a.shape.split(','))
    x = torch.randn(a.batch, c, h, w, device=device)
    y = torch.randint(0, a.classes, (a.batch,), device=device)

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(a.warmup_steps):
        step()
    sync(device)
    rates = []
    for _ in range(a.windows):
        t0 = time.perf_counter()
        for _ in range(a.window_steps):
            loss = step()
        loss.item()
        sync(device)
        rates.append(a.batch * a.window_steps / (time.perf_counter() - t0))
    print(json.dumps({'samplesPerSec': statistics.median(rates), 'windows': rates, 'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
