"""The PyTorch side of the se unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class SqueezeExcite(nn.Module):
    """Squeeze-and-excitation: global average → Linear C→s → act → Linear s→C → gate → channel scaling."""

    def __init__(self, channels, squeeze, act, gate, bias=True):
        super().__init__()
        self.fc1 = nn.Linear(channels, squeeze, bias=bias)
        self.act = act
        self.fc2 = nn.Linear(squeeze, channels, bias=bias)
        self.gate = gate

    def forward(self, x):
        g = self.gate(self.fc2(self.act(self.fc1(x.mean(dim=(2, 3))))))
        return x * g[:, :, None, None]
