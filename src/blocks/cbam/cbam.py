"""The PyTorch side of the cbam unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class CBAM(nn.Module):
    """CBAM (the paper's equations): σ(MLP(avg) + MLP(max)) per channel, then σ(conv_k([mean_c; max_c])) per pixel."""

    def __init__(self, channels, hidden, kernel, bias=False):
        super().__init__()
        self.fc1 = nn.Linear(channels, hidden, bias=bias)
        self.fc2 = nn.Linear(hidden, channels, bias=bias)
        self.spatial = nn.Conv2d(2, 1, kernel, padding=kernel // 2, bias=False)

    def mlp(self, v):
        return self.fc2(torch.relu(self.fc1(v)))

    def forward(self, x):
        x = x * torch.sigmoid(self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3))))[:, :, None, None]
        s = torch.cat([x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)], dim=1)
        return x * torch.sigmoid(self.spatial(s))
