"""The PyTorch side of the tokens unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class ClassToken(nn.Module):
    """Prepends a learned [cls] token to [B, N, D]."""

    def __init__(self, dim):
        super().__init__()
        self.token = nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, x):
        return torch.cat([self.token.expand(x.shape[0], -1, -1), x], dim=1)


class PosEmbed(nn.Module):
    """Adds a position table [1, N, D]: learned, or the fixed sin/cos table (a buffer)."""

    def __init__(self, n, dim, learned=True):
        super().__init__()
        if learned:
            self.table = nn.Parameter(torch.zeros(1, n, dim))
        else:
            self.register_buffer('table', torch.zeros(1, n, dim))

    def forward(self, x):
        return x + self.table
