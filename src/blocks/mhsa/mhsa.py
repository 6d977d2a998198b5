"""The PyTorch side of the mhsa unit: model.py (src/main/engine/export/pytorch/prelude.ts) copies these classes in."""

import torch
from torch import nn


class SelfAttention(nn.Module):
    """Multi-head self-attention on [B, N, D]: fused QKV projection, softmax(Q·Kᵀ/√d)·V, output projection."""

    def __init__(self, dim, heads, qkv_bias=True, dropout=0.0):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.drop = nn.Dropout(dropout)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, d = x.shape
        dh = d // self.heads
        q, k, v = self.qkv(x).reshape(b, n, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        att = self.drop(torch.softmax((q / dh ** 0.5) @ k.transpose(-2, -1), dim=-1))
        return self.proj((att @ v).transpose(1, 2).reshape(b, n, d))
