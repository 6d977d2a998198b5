"""The PyTorch side of the regularization unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class DropPath(nn.Module):
    """Stochastic depth: while training, zeroes whole samples with probability p and rescales the others."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = 1 - self.p
        mask = (torch.rand((x.shape[0],) + (1,) * (x.dim() - 1), device=x.device) < keep).to(x.dtype)
        return x * mask / keep
