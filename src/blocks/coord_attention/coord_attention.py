"""The PyTorch side of the coord_attention unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class CoordAttention(nn.Module):
    """Coordinate attention (Hou et al. 2021): pool along W and along H, shared 1×1 conv + BN + act, one gate per axis."""

    def __init__(self, channels, mid, act, bias=True):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, mid, 1, bias=bias)
        self.bn = nn.BatchNorm2d(mid)
        self.act = act
        self.conv_h = nn.Conv2d(mid, channels, 1, bias=bias)
        self.conv_w = nn.Conv2d(mid, channels, 1, bias=bias)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        z = torch.cat([x.mean(dim=3, keepdim=True), x.mean(dim=2, keepdim=True).transpose(2, 3)], dim=2)
        f_h, f_w = torch.split(self.act(self.bn(self.conv1(z))), [h, w], dim=2)
        return x * torch.sigmoid(self.conv_h(f_h)) * torch.sigmoid(self.conv_w(f_w.transpose(2, 3)))
