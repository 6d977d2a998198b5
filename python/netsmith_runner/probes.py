"""Telemetry probes computed on the device: everything goes into one flat float32 tensor, read with one sync.

The lab (src/main/engine/torch/probes.ts) turns the numbers into the same LayerProbe records a TF.js run
emits; histograms are made there from the strided samples, as on TF.js.
"""
import torch

SAMPLE = 4096


def _sample(t):
    flat = t.detach().reshape(-1)
    if flat.numel() <= SAMPLE:
        return flat
    stride = -(-flat.numel() // SAMPLE)
    return flat[::stride]


def _channels_last(t):
    """[N, C, H, W] → [-1, C]; [.., C] → [-1, C]."""
    if t.dim() == 4:
        return t.detach().permute(0, 2, 3, 1).reshape(-1, t.shape[1])
    return t.detach().reshape(-1, t.shape[-1])


class Probes:
    """targets: the lab's probe targets with their torch names: weights (param), activation (tap), batchnorm (tap + buffers)."""

    def __init__(self, targets, params, buffers):
        self.targets = targets
        self.params = params
        self.buffers = buffers

    def weight_params(self):
        return [self.params[t['param']] for t in self.targets if t['kind'] == 'weights']

    def collect(self, taps, old_weights):
        """old_weights: the probed kernels before the optimizer step (for ‖Δw‖/‖w‖)."""
        parts, layout = [], []

        def put(name, t):
            t = t.detach().reshape(-1).float()
            layout.append([name, t.numel()])
            parts.append(t)

        with torch.no_grad():
            old = iter(old_weights)
            for t in self.targets:
                kind = t['kind']
                if kind == 'weights':
                    w = self.params[t['param']]
                    g = w.grad
                    before = next(old)
                    zero = torch.zeros((), device=w.device)
                    put('stats', torch.stack([
                        (g * g).sum() if g is not None else zero,
                        g.abs().max() if g is not None else zero,
                        (w * w).sum(),
                        ((w - before) ** 2).sum(),
                        (before * before).sum(),
                    ]))
                    put('w', _sample(w))
                    put('g', _sample(g) if g is not None else zero.reshape(0))
                elif kind == 'activation':
                    a = taps.get(t['tap'])
                    if a is None:
                        put('flags', torch.tensor([-1.0, -1.0], device=parts[0].device if parts else 'cpu'))
                        put('values', torch.zeros(0))
                        continue
                    a = a.detach()
                    act = t.get('activation')
                    dead = (_channels_last(a).amax(0) <= 0).float().mean() if act == 'relu' else torch.tensor(-1.0, device=a.device)
                    if act == 'sigmoid':
                        sat = ((a < 0.02) | (a > 0.98)).float().mean()
                    elif act == 'tanh':
                        sat = (a.abs() > 0.96).float().mean()
                    else:
                        sat = torch.tensor(-1.0, device=a.device)
                    put('flags', torch.stack([dead, sat]))
                    put('values', _sample(a))
                else:
                    x = _channels_last(taps[t['tap']])
                    put('batchMean', x.mean(0))
                    put('batchVar', x.var(0, unbiased=False))
                    for name in ('runningMean', 'runningVar', 'gamma', 'beta'):
                        key = t.get(name)
                        if key is None:
                            put(name, torch.zeros(0, device=x.device))
                        else:
                            put(name, (self.buffers.get(key) if key in self.buffers else self.params[key]))
            devices = {p.device for p in parts}
            if len(devices) > 1:
                parts = [p.to('cpu') for p in parts]
            flat = torch.cat(parts).cpu() if parts else torch.zeros(0)  # the one host sync
        return layout, flat.numpy().tobytes()
